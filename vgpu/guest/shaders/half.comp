#version 450
// Arithmetic on 16-bit floats: the Float16 capability, which Phoenix's executor refuses.
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
layout(local_size_x = 1) in;
layout(std430, set = 0, binding = 0) buffer V { float v[]; };
void main() {
    float16_t h = float16_t(v[0]);
    v[0] = float(h * h);
}
