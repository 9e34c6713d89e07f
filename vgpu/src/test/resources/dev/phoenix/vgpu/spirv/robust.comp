#version 450
layout(local_size_x = 8) in;
layout(std430, binding = 0) readonly buffer In { uint v[]; };
layout(std430, binding = 1) buffer Out { uint o[]; };
layout(push_constant) uniform P { int shift; } p;
void main() {
    uint g = gl_GlobalInvocationID.x;
    o[int(g) + p.shift] = v[int(g) - p.shift] + 1u;
}
