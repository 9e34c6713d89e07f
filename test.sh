#!/usr/bin/env bash
# Runs Phoenix's whole test suite (unit and integration tests, all arches) with a JDK 25.
# Run ./setup.sh once first on a new machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$root/scripts/find-jdk.sh"
phoenix_find_jdk
cd "$root"
exec mvn -B verify "$@"
