// Kept identical to ShaderBenchmark.SGEMM (benchmarks/vgpu.sh runs it on lavapipe).
#version 450
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, binding = 0) readonly buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) buffer C { float c[]; };
layout(push_constant) uniform P { uint m; uint n; uint k; } p;
shared float ta[16][16];
shared float tb[16][16];
void main() {
    uint row = gl_GlobalInvocationID.y, col = gl_GlobalInvocationID.x;
    uint ly = gl_LocalInvocationID.y, lx = gl_LocalInvocationID.x;
    float acc = 0.0;
    for (uint t = 0; t < p.k; t += 16) {
        ta[ly][lx] = (row < p.m && t + lx < p.k) ? a[row * p.k + t + lx] : 0.0;
        tb[ly][lx] = (col < p.n && t + ly < p.k) ? b[(t + ly) * p.n + col] : 0.0;
        barrier();
        for (uint i = 0; i < 16; i++) acc = fma(ta[ly][i], tb[i][lx], acc);
        barrier();
    }
    if (row < p.m && col < p.n) c[row * p.n + col] = acc;
}

