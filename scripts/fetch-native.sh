#!/usr/bin/env bash
# Fetches Unicorn 2.1.1 and Capstone 5 from Debian 13 (trixie) into a cache directory,
# without root and without touching the system's apt state (see docs/ARCHITECTURE.md).
# Debian 12's own libunicorn2 (2.0.1) is never used: its guest stores are ~28x slower.
#
# Usage: scripts/fetch-native.sh [DIR]   (default: $PHOENIX_NATIVE_DIR or ~/.cache/phoenix/native)
set -euo pipefail
dest=${1:-${PHOENIX_NATIVE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix/native}}
if [ -f "$dest/libunicorn.so.2" ] && [ -f "$dest/libcapstone.so.5" ]; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$(dirname "${BASH_SOURCE[0]}")/debian-download.sh" trixie amd64 "$work" libunicorn2t64 libcapstone5
lib="$work/root/usr/lib/x86_64-linux-gnu"
mkdir -p "$dest"
cp -L "$lib/libunicorn.so.2" "$lib/libcapstone.so.5" "$dest/"
ls "$work"/debs/ > "$dest/VERSIONS"
echo "fetch-native: installed into $dest: $(tr '\n' ' ' < "$dest/VERSIONS")" >&2
