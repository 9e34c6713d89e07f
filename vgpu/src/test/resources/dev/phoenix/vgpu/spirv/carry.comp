#version 450
// Values that live across barriers in a loop: keep is made before the first barrier and read only
// after the last, acc crosses both barriers of each round, v only the second.
layout(local_size_x = 64) in;
layout(std430, binding = 0) buffer O { uint o[]; };
shared uint s[64];
void main() {
    uint l = gl_LocalInvocationID.x;
    uint keep = l * 7u + 3u;
    uint acc = 0u;
    for (uint r = 0u; r < 4u; r++) {
        s[l] = l + r;
        barrier();
        uint v = s[(l + 1u) % 64u];
        barrier();
        acc += v * (r + 1u);
    }
    o[gl_GlobalInvocationID.x] = acc * 1000u + keep;
}
