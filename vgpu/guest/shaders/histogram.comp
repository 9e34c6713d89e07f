#version 450
// A 256-bin histogram of the low bytes of v[0..n), two ways: each workgroup counts into shared
// bins with atomicAdd and adds them to bins[] (one atomic per bin per group), and every
// invocation adds its value straight into direct[] with an atomicAdd on the buffer.
layout(local_size_x = 64) in;
layout(std430, set = 0, binding = 0) readonly buffer In { uint v[]; };
layout(std430, set = 0, binding = 1) buffer Hist { uint bins[256]; };
layout(std430, set = 0, binding = 2) buffer Direct { uint direct[256]; };
layout(push_constant) uniform P { uint n; } p;
shared uint local_bins[256];
void main() {
    uint l = gl_LocalInvocationIndex;
    for (uint b = l; b < 256; b += gl_WorkGroupSize.x) local_bins[b] = 0;
    barrier();
    uint g = gl_GlobalInvocationID.x;
    if (g < p.n) {
        atomicAdd(local_bins[v[g] & 255u], 1u);
        atomicAdd(direct[v[g] & 255u], 1u);
    }
    barrier();
    for (uint b = l; b < 256; b += gl_WorkGroupSize.x) {
        if (local_bins[b] != 0u) atomicAdd(bins[b], local_bins[b]);
    }
}
