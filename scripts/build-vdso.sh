#!/usr/bin/env bash
# Assembles and links Phoenix's vDSO images from linux-abi/src/main/vdso/ARCH.S into
# OUTDIR/ARCH.so (default: the resources the linux-abi jar carries). The images are checked in,
# so building Phoenix needs no cross binutils; the tests rebuild them and compare bytes.
# Needs binutils for x86_64 (as, ld) and the aarch64/riscv64 cross binutils (setup.sh installs them).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
src=$here/linux-abi/src/main/vdso
out=${1:-$here/linux-abi/src/main/resources/dev/phoenix/abi/vdso}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for arch in x86_64 aarch64 riscv64; do
  case $arch in
    x86_64) prefix= ;;
    *) prefix=$arch-linux-gnu- ;;
  esac
  for tool in as ld; do
    command -v "${prefix}$tool" >/dev/null \
      || { echo "build-vdso: ${prefix}$tool not found; run ./setup.sh (binutils for $arch)" >&2; exit 1; }
  done
  "${prefix}as" -o "$work/$arch.o" "$src/$arch.S"
  "${prefix}ld" -shared -soname linux-vdso.so.1 --hash-style=both --build-id=none -s -z noexecstack \
    -T "$src/vdso.lds" --version-script="$src/$arch.ver" -o "$out/$arch.so" "$work/$arch.o"
done
