#version 450
layout(local_size_x = 1) in;
layout(std430, binding = 0) buffer D { uint d[]; };
void main() {
    uint i = 0;
    while (d[0] == 0) { i++; d[1] = i; }
}
