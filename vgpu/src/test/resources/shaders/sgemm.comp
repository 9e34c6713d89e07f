#version 450
// C (m x n) = A (m x k) * B (k x n), row-major, one invocation per element of C.
layout(local_size_x = 16, local_size_y = 16) in;
layout(std430, set = 0, binding = 0) readonly buffer A { float a[]; };
layout(std430, set = 0, binding = 1) readonly buffer B { float b[]; };
layout(std430, set = 0, binding = 2) writeonly buffer C { float c[]; };
layout(push_constant) uniform P { uint m; uint n; uint k; } p;
void main() {
    uint col = gl_GlobalInvocationID.x, row = gl_GlobalInvocationID.y;
    if (row >= p.m || col >= p.n) return;
    float s = 0.0;
    for (uint i = 0; i < p.k; i++) s += a[row * p.k + i] * b[i * p.n + col];
    c[row * p.n + col] = s;
}
