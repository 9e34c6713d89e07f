#!/usr/bin/env bash
# The native Vulkan side of the vGPU benchmarks: SAXPY of 16M floats and SGEMM 1024^3 through
# Phoenix's VulkanExecutor on the host's device (lavapipe when there is no GPU), the same SPIR-V the
# guests dispatch. Usage: benchmarks/vgpu.sh [--import]   (--import: import guest memory, no copies)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh"
phoenix_find_jdk
cd "$root"
mvn -o -q -pl vgpu -am test-compile >/dev/null
cp=vgpu/target/classes:vgpu/target/test-classes
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.phoenix.vgpu.vulkan.VulkanBench "$@"
