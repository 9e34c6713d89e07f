#!/usr/bin/env bash
# Fetches Unicorn 2.1.1 and Capstone 5 from Debian 13 (trixie) into a cache directory,
# without root and without touching the system's apt state (see shared/DESIGN.md).
# Debian 12's own libunicorn2 (2.0.1) is never used: its guest stores are ~28x slower.
#
# Usage: scripts/fetch-native.sh [DIR]   (default: $PHOENIX_NATIVE_DIR or ~/.cache/phoenix/native)
set -euo pipefail
dest=${1:-${PHOENIX_NATIVE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix/native}}
if [ -f "$dest/libunicorn.so.2" ] && [ -f "$dest/libcapstone.so.5" ]; then
  exit 0
fi
for tool in apt-get dpkg; do
  command -v "$tool" >/dev/null || { echo "fetch-native: '$tool' not found; Phoenix fetches Unicorn and Capstone with Debian's apt-get" >&2; exit 1; }
done
# The system's own Debian mirror: first non-comment 'deb URL' or 'URIs: URL' naming .../debian.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | grep -vE '^\s*#' | grep -oE '^(deb|URIs:)\s+(\[[^]]*\]\s+)?https?://[^ ]+/debian/?(\s|$)' \
  | grep -oE 'https?://[^ ]+' | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs" "$work/x"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" > "$work/sources.list"
opts=(-o Dir::State::Lists="$work/lists" -o Dir::Etc::SourceList="$work/sources.list"
      -o Dir::Etc::SourceParts=/dev/null -o Dir::Cache="$work/cache" -o Debug::NoLocking=1
      -o APT::Sandbox::User="$(id -un)" -o APT::Architecture=amd64 -q)
echo "fetch-native: downloading libunicorn2t64 and libcapstone5 from Debian trixie ($mirror)" >&2
apt-get "${opts[@]}" update >"$work/update.log" 2>&1 || { cat "$work/update.log" >&2; echo "fetch-native: apt-get update for trixie failed" >&2; exit 1; }
(cd "$work/debs" && apt-get "${opts[@]}" download libunicorn2t64 libcapstone5 >"$work/dl.log" 2>&1) \
  || { cat "$work/dl.log" >&2; echo "fetch-native: apt-get download failed" >&2; exit 1; }
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/x"; done
mkdir -p "$dest"
cp "$work"/x/usr/lib/x86_64-linux-gnu/libunicorn.so.2* "$work"/x/usr/lib/x86_64-linux-gnu/libcapstone.so.5* "$dest/"
[ -f "$dest/libunicorn.so.2" ] || cp "$(ls "$work"/x/usr/lib/x86_64-linux-gnu/libunicorn.so.2* | head -n1)" "$dest/libunicorn.so.2"
ls "$work"/debs/ > "$dest/VERSIONS"
echo "fetch-native: installed into $dest: $(tr '\n' ' ' < "$dest/VERSIONS")" >&2
