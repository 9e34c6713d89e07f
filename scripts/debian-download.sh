#!/usr/bin/env bash
# Downloads Debian packages for any suite and architecture with a private apt state (no root,
# the system's apt lists and locks untouched) and unpacks them with dpkg -x.
# Usage: scripts/debian-download.sh SUITE ARCH DEST PACKAGE...
#   DEST/debs gets the .deb files, DEST/root their unpacked contents.
set -euo pipefail
suite=$1 arch=$2 dest=$3
shift 3
for tool in apt-get dpkg; do
  command -v "$tool" >/dev/null || { echo "debian-download: '$tool' not found" >&2; exit 1; }
done
# The system's own Debian mirror: first non-comment 'deb URL' or 'URIs: URL' naming .../debian.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | grep -vE '^\s*#' | grep -oE '^(deb|URIs:)\s+(\[[^]]*\]\s+)?https?://[^ ]+/debian/?(\s|$)' \
  | grep -oE 'https?://[^ ]+' | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$dest/debs" "$dest/root"
echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" > "$work/sources.list"
opts=(-o Dir::State::Lists="$work/lists" -o Dir::Etc::SourceList="$work/sources.list"
      -o Dir::Etc::SourceParts=/dev/null -o Dir::Cache="$work/cache" -o Debug::NoLocking=1
      -o APT::Sandbox::User="$(id -un)" -o APT::Architecture="$arch" -o APT::Architectures="$arch" -q)
echo "debian-download: $* ($suite, $arch) from $mirror" >&2
apt-get "${opts[@]}" update >"$work/update.log" 2>&1 || { cat "$work/update.log" >&2; echo "debian-download: apt-get update failed" >&2; exit 1; }
(cd "$dest/debs" && apt-get "${opts[@]}" download "$@" >"$work/dl.log" 2>&1) \
  || { cat "$work/dl.log" >&2; echo "debian-download: apt-get download failed" >&2; exit 1; }
for deb in "$dest"/debs/*.deb; do dpkg -x "$deb" "$dest/root"; done
