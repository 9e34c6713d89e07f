#!/usr/bin/env bash
# Fetches the static Go programs the thread tests and benchmarks run: Debian 12's shfmt, gojq,
# go-md2man and pup for amd64, and shfmt and gojq for arm64, with a private apt state (no root,
# no foreign dpkg architecture; see debian-download.sh). Refuses a program that is not static.
# Prints the directory on stdout: DIR/amd64/PROGRAM, DIR/arm64/PROGRAM, and DIR/VERSIONS.
#
# Usage: scripts/fetch-go-programs.sh [DIR]
#   (default: $PHOENIX_PROGRAMS_DIR or ~/.cache/phoenix/programs; nothing is fetched when present)
set -euo pipefail
dest=${1:-${PHOENIX_PROGRAMS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix/programs}}
declare -A want=([amd64]="shfmt gojq go-md2man pup" [arm64]="shfmt gojq")
present() {
  local arch p
  [ -f "$dest/VERSIONS" ] || return 1
  for arch in "${!want[@]}"; do
    for p in ${want[$arch]}; do [ -x "$dest/$arch/$p" ] || return 1; done
  done
}
if ! present; then
  command -v readelf >/dev/null || { echo "fetch-go-programs: readelf not found: apt-get install -y binutils" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/out"
  for arch in "${!want[@]}"; do
    # shellcheck disable=SC2086 # the list is word-split on purpose
    "$(dirname "${BASH_SOURCE[0]}")/debian-download.sh" bookworm "$arch" "$work/$arch" ${want[$arch]}
    mkdir -p "$work/out/$arch"
    for p in ${want[$arch]}; do
      # A program with a PT_INTERP would need a dynamic loader Phoenix does not run (exit 76).
      if LC_ALL=C readelf -lW "$work/$arch/root/usr/bin/$p" | grep -q INTERP; then
        echo "fetch-go-programs: $arch $p is dynamically linked" >&2
        exit 1
      fi
      cp "$work/$arch/root/usr/bin/$p" "$work/out/$arch/$p"
    done
    ls "$work/$arch/debs" >> "$work/out/VERSIONS"
  done
  mkdir -p "$dest"
  rm -rf "$dest/amd64" "$dest/arm64"
  mv "$work/out/amd64" "$work/out/arm64" "$dest/"
  mv "$work/out/VERSIONS" "$dest/VERSIONS"
  echo "fetch-go-programs: installed into $dest: $(tr '\n' ' ' < "$dest/VERSIONS")" >&2
fi
echo "$dest"
