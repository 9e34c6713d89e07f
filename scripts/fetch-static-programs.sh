#!/usr/bin/env bash
# Fetches Debian 12's static shells and container inits that the process tests run: bash-static,
# zsh-static, sash, tini (its tini-static) and catatonit, for amd64 and arm64, with a private apt
# state (no root, no foreign dpkg architecture; see debian-download.sh). Refuses a program that
# is not static (Phoenix runs no dynamic loader yet). Prints the directory on stdout:
# DIR/amd64/PROGRAM, DIR/arm64/PROGRAM, and DIR/VERSIONS.
#
# Usage: scripts/fetch-static-programs.sh [DIR]
#   (default: $PHOENIX_STATIC_PROGRAMS_DIR or ~/.cache/phoenix/static-programs; nothing is fetched
#   when present)
set -euo pipefail
dest=${1:-${PHOENIX_STATIC_PROGRAMS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/phoenix/static-programs}}
packages=(bash-static zsh-static sash tini catatonit)
# Where each program lies in its package.
declare -A path=([bash-static]=bin/bash-static [zsh-static]=bin/zsh-static [sash]=bin/sash
  [tini-static]=usr/bin/tini-static [catatonit]=usr/bin/catatonit)
arches=(amd64 arm64)
present() {
  local arch p
  [ -f "$dest/VERSIONS" ] || return 1
  for arch in "${arches[@]}"; do
    for p in "${!path[@]}"; do [ -x "$dest/$arch/$p" ] || return 1; done
  done
}
if ! present; then
  command -v readelf >/dev/null || { echo "fetch-static-programs: readelf not found: apt-get install -y binutils" >&2; exit 1; }
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/out"
  for arch in "${arches[@]}"; do
    "$(dirname "${BASH_SOURCE[0]}")/debian-download.sh" bookworm "$arch" "$work/$arch" "${packages[@]}"
    mkdir -p "$work/out/$arch"
    for p in "${!path[@]}"; do
      # A program with a PT_INTERP would need a dynamic loader Phoenix does not run (exit 76).
      if LC_ALL=C readelf -lW "$work/$arch/root/${path[$p]}" | grep -q INTERP; then
        echo "fetch-static-programs: $arch $p is dynamically linked" >&2
        exit 1
      fi
      cp "$work/$arch/root/${path[$p]}" "$work/out/$arch/$p"
    done
    ls "$work/$arch/debs" >> "$work/out/VERSIONS"
  done
  mkdir -p "$dest"
  rm -rf "$dest/amd64" "$dest/arm64"
  mv "$work/out/amd64" "$work/out/arm64" "$dest/"
  mv "$work/out/VERSIONS" "$dest/VERSIONS"
  echo "fetch-static-programs: installed into $dest: $(tr '\n' ' ' < "$dest/VERSIONS")" >&2
fi
echo "$dest"
