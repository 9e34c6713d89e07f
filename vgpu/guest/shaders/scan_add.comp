#version 450
// The block-sums pass of a scan: adds the scanned total of the blocks before it (sums[group]) to
// each of the 512 elements of its block.
layout(local_size_x = 256) in;
layout(std430, set = 0, binding = 0) buffer Data { uint d[]; };
layout(std430, set = 0, binding = 1) readonly buffer Sums { uint sums[]; };
layout(push_constant) uniform P { uint n; } p;
void main() {
    uint base = gl_WorkGroupID.x * 512u, l = gl_LocalInvocationID.x;
    uint add = sums[gl_WorkGroupID.x];
    if (base + l < p.n) d[base + l] += add;
    if (base + 256u + l < p.n) d[base + 256u + l] += add;
}
