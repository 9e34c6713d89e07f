#version 450
// Sums of uints per workgroup of 256 with shared memory and barriers (a tree, halving each step):
// sums[group] is its part; total[0] gets every group's part by atomicAdd. A second dispatch over
// the parts (n = groups) sums them again, until one is left.
layout(local_size_x = 256) in;
layout(std430, set = 0, binding = 0) readonly buffer In { uint v[]; };
layout(std430, set = 0, binding = 1) buffer Out { uint sums[]; };
layout(std430, set = 0, binding = 2) buffer Total { uint total[]; };
layout(push_constant) uniform P { uint n; } p;
shared uint part[256];
void main() {
    uint l = gl_LocalInvocationID.x;
    uint g = gl_GlobalInvocationID.x;
    part[l] = g < p.n ? v[g] : 0u;
    barrier();
    for (uint s = gl_WorkGroupSize.x / 2; s > 0; s >>= 1) {
        if (l < s) part[l] += part[l + s];
        barrier();
    }
    if (l == 0) {
        sums[gl_WorkGroupID.x] = part[0];
        atomicAdd(total[0], part[0]);
    }
}
