#version 450
// Out-of-range access: o[g + shift] = v[g - shift] + 1, so a shift moves reads below v's start
// and writes past o's end (robust access: those reads give 0, those writes are dropped).
layout(local_size_x = 8) in;
layout(std430, set = 0, binding = 0) readonly buffer In { uint v[]; };
layout(std430, set = 0, binding = 1) buffer Out { uint o[]; };
layout(push_constant) uniform P { int shift; } p;
void main() {
    uint g = gl_GlobalInvocationID.x;
    o[int(g) + p.shift] = v[int(g) - p.shift] + 1u;
}
