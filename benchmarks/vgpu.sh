#!/usr/bin/env bash
# The vGPU benchmark of issue 19: SAXPY over 16M floats and SGEMM 1024x1024x1024 (tiled 16x16,
# shared memory and barriers) on
#   phoenix-spirv  Phoenix's SPIR-V executor (JvmExecutor, all host cores) from VgpuBench's main,
#   guest-spirv    the same executor behind /dev/vgpu0: a static x86_64 guest (benchmarks/vgpu/
#                  gpubench.c, libvgpu) dispatching and waiting, under `phoenix run --vgpu phoenix`,
#   guest-vulkan   that guest under `phoenix run --vgpu vulkan`: the passthrough to the host's
#                  Vulkan device (lavapipe) through Phoenix's render server,
#   lavapipe       Mesa's CPU Vulkan driver running the same SPIR-V natively (benchmarks/vgpu/vkbench.c),
#   guest-c        the same computation in C (benchmarks/vgpu/cbench.c, one thread), a static x86_64
#                  musl program run on Phoenix's emulated CPU,
#   native-c       that C program run natively (gcc -O2).
# Each engine runs each kernel once untimed, then N timed runs; the table shows the medians (ms)
# of the dispatch or loop alone (no start-up, compilation or buffer filling). Every engine checks
# one element of its result, so a wrong answer fails the script rather than giving a number.
#
# Usage: benchmarks/vgpu.sh [--runs N] [--guest-runs G]
#   N: timed runs per kernel (default 5); G: for the emulated CPU (default 1: it takes minutes)
# Needs glslc, gcc, musl-gcc, libvulkan-dev and mesa-vulkan-drivers, which setup.sh installs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=5
guest_runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --guest-runs) guest_runs="$2"; shift 2 ;;
    *) echo "usage: benchmarks/vgpu.sh [--runs N] [--guest-runs G]" >&2; exit 2 ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ && "$guest_runs" =~ ^[1-9][0-9]*$ ]] || { echo "vgpu: runs must be positive numbers" >&2; exit 2; }
for tool in glslc gcc musl-gcc; do
  command -v "$tool" >/dev/null || { echo "vgpu: $tool missing (apt-get install -y glslc gcc musl-tools)" >&2; exit 1; }
done
[ -e /usr/include/vulkan/vulkan.h ] || { echo "vgpu: vulkan.h missing (apt-get install -y libvulkan-dev)" >&2; exit 1; }
. "$root/scripts/find-jdk.sh"
phoenix_find_jdk
(cd "$root" && mvn -B -q -o -DskipTests -pl benchmarks -am package >/dev/null 2>&1) \
  || (cd "$root" && mvn -B -q -DskipTests -pl benchmarks -am package >/dev/null) \
  || { echo "vgpu: could not build benchmarks/target/benchmarks.jar" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
src="$root/benchmarks/vgpu"
glslc -O -fshader-stage=compute "$src/saxpy.comp" -o "$work/saxpy.spv"
glslc -O -fshader-stage=compute "$src/sgemm.comp" -o "$work/sgemm.spv"
gcc -O2 -Wall -Werror -o "$work/vkbench" "$src/vkbench.c" -lvulkan
gcc -O2 -Wall -Werror -o "$work/cbench" "$src/cbench.c"
musl-gcc -O2 -Wall -Werror -static -o "$work/cbench-guest" "$src/cbench.c"
bash "$root/vgpu/guest/build.sh" "$work/vgpu-guests" >/dev/null
musl-gcc -O2 -Wall -Werror -static -I "$root/vgpu/guest/include" -o "$work/gpubench" "$src/gpubench.c" \
  "$root/vgpu/target/guest/x86_64-musl/libvgpu.a"

# Each engine prints lines "KERNEL median_ms min_ms"; collect them as "ENGINE KERNEL median".
results="$work/results"
collect() { awk -v e="$1" 'NF == 3 && ($1 == "saxpy16M" || $1 == "sgemm1024") { print e, $1, $2 }' >> "$results"; }
echo "vgpu: phoenix-spirv ..." >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$root/benchmarks/target/benchmarks.jar" dev.phoenix.bench.VgpuBench "$runs" | collect phoenix-spirv
echo "vgpu: guest-spirv ..." >&2
"$root/phoenix" run --vgpu phoenix "$work/gpubench" "$work/saxpy.spv" "$work/sgemm.spv" "$runs" | collect guest-spirv
echo "vgpu: guest-vulkan ..." >&2
"$root/phoenix" run --vgpu vulkan "$work/gpubench" "$work/saxpy.spv" "$work/sgemm.spv" "$runs" | collect guest-vulkan
echo "vgpu: lavapipe ..." >&2
"$work/vkbench" saxpy "$work/saxpy.spv" "$runs" 2>"$work/vk.err" | collect lavapipe
"$work/vkbench" sgemm "$work/sgemm.spv" "$runs" 2>>"$work/vk.err" | collect lavapipe
device=$(head -n1 "$work/vk.err")
echo "vgpu: native-c ..." >&2
"$work/cbench" "$runs" | collect native-c
echo "vgpu: guest-c (emulated x86_64, $guest_runs run(s)) ..." >&2
"$root/phoenix" run "$work/cbench-guest" "$guest_runs" | collect guest-c

engines=(phoenix-spirv guest-spirv guest-vulkan lavapipe guest-c native-c)
echo
echo "## vGPU kernels: median ms ($runs runs; guest-c $guest_runs), lower is better"
echo
echo "- host: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "- ${device:-vkbench: no device name}; phoenix $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "- the executors and lavapipe use every host CPU; the C programs one thread"
echo
printf '| kernel |'; for e in "${engines[@]}"; do printf ' %s |' "$e"; done; echo
printf '|---|'; for e in "${engines[@]}"; do printf -- '---:|'; done; echo
for k in saxpy16M sgemm1024; do
  printf '| %s |' "$k"
  for e in "${engines[@]}"; do
    v=$(awk -v e="$e" -v k="$k" '$1 == e && $2 == k { print $3 }' "$results")
    printf ' %s |' "${v:--}"
  done
  echo
done
for e in "${engines[@]}"; do
  for k in saxpy16M sgemm1024; do
    grep -q "^$e $k " "$results" || { echo "vgpu: no $k result from $e" >&2; exit 1; }
  done
done
