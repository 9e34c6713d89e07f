#!/usr/bin/env bash
# Builds every tests/guest/*.c for each target Phoenix tests:
#   x86_64-musl (musl-gcc -static), x86_64-glibc (gcc -static),
#   aarch64 (aarch64-linux-gnu-gcc -static), riscv64 (riscv64-linux-gnu-gcc -static)
# plus hello-dynamic for x86_64-glibc and x86_64-musl, dynamically linked (PT_INTERP names
# /lib64/ld-linux-x86-64.so.2 and /lib/ld-musl-x86_64.so.1: musl-tools installs the latter), and
# hello-pie (static-pie, ET_DYN) for x86_64-glibc and aarch64 (Debian 12's riscv64 cross
# toolchain cannot link static-pie; musl-gcc's static-pie asks for an interpreter), and
# aarch64/busybox, Debian 12's arm64 busybox-static, and riscv64/busybox, Debian 13's riscv64
# busybox-static (Debian 12 has no riscv64 port).
# Usage: tests/guest/build.sh OUTDIR     (incremental: up-to-date binaries are kept)
# Headers (*.h, included as "name.h") are not programs: they are compiled into those that include them.
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:?usage: build.sh OUTDIR}"
declare -A cc=([x86_64-musl]=musl-gcc [x86_64-glibc]=gcc [aarch64]=aarch64-linux-gnu-gcc [riscv64]=riscv64-linux-gnu-gcc)
declare -A pkg=([musl-gcc]=musl-tools [gcc]=gcc [aarch64-linux-gnu-gcc]=gcc-aarch64-linux-gnu [riscv64-linux-gnu-gcc]=gcc-riscv64-linux-gnu)
missing=()
for c in "${cc[@]}"; do
  command -v "$c" >/dev/null || missing+=("$c")
done
if [ ${#missing[@]} -gt 0 ]; then
  for c in "${missing[@]}"; do
    echo "tests/guest/build.sh: $c not found; install it with: apt-get install -y ${pkg[$c]}" >&2
  done
  exit 1
fi
build_target() {
  local target=$1 compiler=${cc[$1]} built=0
  mkdir -p "$out/$target"
  for c in "$src"/*.c; do
    local name bin deps=("$c" "$src/build.sh") h dep stale=0
    name=$(basename "$c" .c)
    bin="$out/$target/$name"
    # Rebuilt when older than its source, build.sh or a header of tests/guest that it includes.
    while read -r h; do deps+=("$src/$h"); done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$c")
    for dep in "${deps[@]}"; do
      [ "$bin" -nt "$dep" ] || stale=1
    done
    if [ $stale -eq 1 ]; then
      "$compiler" -static -O2 -Wall -Werror -o "$bin" "$c" -lm
      built=$((built + 1))
    fi
  done
  if [ "$target" = x86_64-glibc ] && { [ ! "$out/$target/hello-dynamic" -nt "$src/hello.c" ] || [ ! "$out/$target/hello-dynamic" -nt "$src/build.sh" ]; }; then
    gcc -O2 -Wall -Werror -o "$out/$target/hello-dynamic" "$src/hello.c"
  fi
  if [ "$target" = x86_64-musl ] && { [ ! "$out/$target/hello-dynamic" -nt "$src/hello.c" ] || [ ! "$out/$target/hello-dynamic" -nt "$src/build.sh" ]; }; then
    musl-gcc -O2 -Wall -Werror -Wl,-dynamic-linker,/lib/ld-musl-x86_64.so.1 -o "$out/$target/hello-dynamic" "$src/hello.c"
  fi
  if [ "$target" = x86_64-glibc ] || [ "$target" = aarch64 ]; then
    if [ ! "$out/$target/hello-pie" -nt "$src/hello.c" ] || [ ! "$out/$target/hello-pie" -nt "$src/build.sh" ]; then
      "$compiler" -static-pie -O2 -Wall -Werror -o "$out/$target/hello-pie" "$src/hello.c"
      built=$((built + 1))
    fi
  fi
  echo "$built" > "$out/$target/.built"
}
pids=()
for target in "${!cc[@]}"; do
  build_target "$target" & pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
[ $status -eq 0 ] || { echo "tests/guest/build.sh: compilation failed" >&2; exit 1; }
# Debian's own static busybox for arm64 (package busybox-static), fetched without multiarch.
if [ ! -x "$out/aarch64/busybox" ]; then
  dl=$(mktemp -d)
  "$src/../../scripts/debian-download.sh" bookworm arm64 "$dl" busybox-static >/dev/null
  cp "$dl/root/bin/busybox" "$out/aarch64/busybox"
  rm -rf "$dl"
fi
if [ ! -x "$out/riscv64/busybox" ]; then
  dl=$(mktemp -d)
  "$src/../../scripts/debian-download.sh" trixie riscv64 "$dl" busybox-static >/dev/null
  cp "$dl/root/usr/bin/busybox" "$out/riscv64/busybox"
  rm -rf "$dl"
fi
# The vGPU's guest programs, linked with libvgpu, and their shaders (vgpu/guest/build.sh).
"$src/../../vgpu/guest/build.sh" "$out"
total=0
for target in "${!cc[@]}"; do total=$((total + $(cat "$out/$target/.built"))); done
echo "tests/guest/build.sh: built $total guest programs in $out"
