// Kept identical to ShaderBenchmark.SAXPY (benchmarks/vgpu.sh runs it on lavapipe).
#version 450
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) buffer Y { float y[]; };
layout(push_constant) uniform P { float a; uint n; } p;
void main() {
    // two rows of 32768 groups: a vGPU dispatch has at most 65535 groups a dimension
    uint i = gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u + gl_GlobalInvocationID.x;
    if (i < p.n) y[i] = p.a * x[i] + y[i];
}

