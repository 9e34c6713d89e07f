#version 450
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { uint v[]; };
layout(std430, binding = 1) buffer Hist { uint bins[256]; };
layout(push_constant) uniform P { uint n; } p;
shared uint local_bins[256];
void main() {
    uint l = gl_LocalInvocationIndex;
    for (uint b = l; b < 256; b += gl_WorkGroupSize.x) local_bins[b] = 0;
    barrier();
    uint g = gl_GlobalInvocationID.x;
    if (g < p.n) atomicAdd(local_bins[v[g] & 255u], 1u);
    barrier();
    for (uint b = l; b < 256; b += gl_WorkGroupSize.x) atomicAdd(bins[b], local_bins[b]);
}
