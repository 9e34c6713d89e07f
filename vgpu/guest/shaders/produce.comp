#version 450
// The producer of the two-ring test: out[i] = i * i + seed.
layout(local_size_x = 64) in;
layout(std430, set = 0, binding = 0) writeonly buffer Out { uint o[]; };
layout(push_constant) uniform P { uint seed; uint n; } p;
void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i < p.n) o[i] = i * i + p.seed;
}
