#version 450
// Each workgroup sums its 256 inputs in shared memory (a tree with barriers) into sums[group].
layout(local_size_x = 256) in;
layout(std430, set = 0, binding = 0) readonly buffer In { uint data[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Out { uint sums[]; };
shared uint part[256];
void main() {
    uint l = gl_LocalInvocationID.x;
    part[l] = data[gl_GlobalInvocationID.x];
    barrier();
    for (uint s = 128; s > 0; s >>= 1) {
        if (l < s) part[l] += part[l + s];
        barrier();
    }
    if (l == 0) sums[gl_WorkGroupID.x] = part[0];
}
