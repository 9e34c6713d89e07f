#version 450
layout(local_size_x = 128) in;
layout(std430, binding = 0) readonly buffer In { float v[]; };
layout(std430, binding = 1) buffer Out { float sums[]; };
layout(push_constant) uniform P { uint n; } p;
shared float part[128];
void main() {
    uint l = gl_LocalInvocationID.x;
    uint g = gl_GlobalInvocationID.x;
    part[l] = g < p.n ? v[g] : 0.0;
    barrier();
    for (uint s = gl_WorkGroupSize.x / 2; s > 0; s >>= 1) {
        if (l < s) part[l] += part[l + s];
        barrier();
    }
    if (l == 0) sums[gl_WorkGroupID.x] = part[0];
}
