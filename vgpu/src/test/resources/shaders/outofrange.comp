#version 450
// out[i] = in[i] + 1 for i below 64, whatever the buffers' sizes: robust access reads 0 past in and drops writes past out.
layout(local_size_x = 64) in;
layout(std430, set = 0, binding = 0) readonly buffer In { uint src[]; };
layout(std430, set = 0, binding = 1) writeonly buffer Out { uint dst[]; };
void main() {
    uint i = gl_GlobalInvocationID.x;
    dst[i] = src[i] + 1;
    dst[i + 1000000] = 7;
}
