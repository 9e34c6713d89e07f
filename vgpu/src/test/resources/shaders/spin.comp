#version 450
// Never ends while flag[0] is 0, which nothing sets: the device's job timeout must stop it. The
// loop counts in flag[1], so an optimiser cannot drop it as a loop without effects (glslc -O
// removes an empty one).
layout(local_size_x = 1) in;
layout(std430, set = 0, binding = 0) buffer F { uint flag[]; };
void main() {
    while (flag[0] == 0u) {
        flag[1] += 1u;
    }
}
