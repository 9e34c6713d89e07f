#version 450
// A 64-bin histogram of data[i] % 64: per-workgroup bins in shared memory, then added to the global bins.
layout(local_size_x = 128) in;
layout(std430, set = 0, binding = 0) readonly buffer In { uint data[]; };
layout(std430, set = 0, binding = 1) buffer Bins { uint bins[64]; };
layout(push_constant) uniform P { uint n; } p;
shared uint local_bins[64];
void main() {
    uint l = gl_LocalInvocationID.x;
    if (l < 64) local_bins[l] = 0;
    barrier();
    uint i = gl_GlobalInvocationID.x;
    if (i < p.n) atomicAdd(local_bins[data[i] % 64], 1);
    barrier();
    if (l < 64) atomicAdd(bins[l], local_bins[l]);
}
