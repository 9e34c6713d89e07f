#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine for Phoenix: installs the cross compilers the tests use,
# busybox-static, bash-static and mksh (real static programs to run; mksh brings a dietlibc build,
# whose readdir is the legacy getdents), qemu-user-static (a reference for
# benchmarks), strace (the reference for --strace's format), curl (the host client of the
# network tests), the dynamically linked programs the dynamic-linking tests run (jq, ripgrep,
# git, perl, python3, redis-server and nginx-light, with redis-tools and apache2-utils as their
# host clients), procps, and rt-tests (Debian's cyclictest, which the real-time tests run) when root or sudo is available, fetches Unicorn 2.1.1 and Capstone 5 from Debian 13 into ~/.cache/phoenix/native,
# fetches Debian 12's static Go programs (shfmt, gojq, go-md2man, pup; arm64 shfmt and gojq) into
# ~/.cache/phoenix/programs for the thread tests and benchmarks, and Debian 12's static shells and
# inits (bash-static, zsh-static, sash, tini, catatonit; amd64 and arm64) into
# ~/.cache/phoenix/static-programs for the process tests, without root,
# builds Phoenix and its guest test programs, and makes sysroots of Debian's arm64 and riscv64
# coreutils, jq, python3 and redis-server with `phoenix sysroot` in ~/.cache/phoenix/sysroots.
# Safe to run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
packages=(musl-tools gcc gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu busybox-static bash-static mksh qemu-user-static
  strace curl jq ripgrep git perl python3 redis-server redis-tools nginx-light apache2-utils procps rt-tests
  glslc spirv-tools libvulkan1 libvulkan-dev mesa-vulkan-drivers)
need=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo=(sudo); else sudo=(none); fi
  if [ "${sudo[0]:-}" = none ]; then
    echo "setup: missing packages: ${need[*]}" >&2
    echo "setup: install them as root: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]}" >&2
  "${sudo[@]}" apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${need[@]}" >/dev/null
fi
. "$root/scripts/find-jdk.sh"
phoenix_find_jdk
"$root/scripts/fetch-native.sh"
"$root/scripts/fetch-go-programs.sh" >/dev/null
"$root/scripts/fetch-static-programs.sh" >/dev/null
echo "setup: building Phoenix with $JAVA_HOME" >&2
log="$root/target-setup.log"
if ! (cd "$root" && mvn -B -DskipTests install >"$log" 2>&1); then
  grep -E 'ERROR' "$log" | head -n 30 >&2
  echo "setup: build failed; full log in $log" >&2
  exit 1
fi
rm -f "$log"
# Sysroots of Debian's arm64 and riscv64 builds for the dynamic-linking tests and benchmarks (a
# second run fetches nothing new).
sysroots="${XDG_CACHE_HOME:-$HOME/.cache}/phoenix/sysroots"
for arch in aarch64 riscv64; do
  "$root/phoenix" sysroot --arch "$arch" "$sysroots/$arch" coreutils jq python3 redis-server 2>"$sysroots.log" \
    || { cat "$sysroots.log" >&2; echo "setup: could not make the $arch sysroot" >&2; exit 1; }
done
rm -f "$sysroots.log"
echo "setup: done; try ./phoenix run --help" >&2
