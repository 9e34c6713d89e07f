#version 450
layout(local_size_x = 1) in;
layout(std430, binding = 0) buffer D { double d[]; };
void main() { d[0] = d[0] * 2.0; }
