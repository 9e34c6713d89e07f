#version 450
// Vectors, matrices, GLSL.std.450, switch, function calls, integer ops.
layout(local_size_x = 4, local_size_y = 1, local_size_z = 1) in;
layout(std430, binding = 0) buffer F { vec4 f[]; };
layout(std430, binding = 1) buffer I { ivec4 iv[]; };
layout(std430, binding = 2) buffer M { mat4 m; };
float poly(float x, int k) {
    float r = 0.0;
    for (int j = 0; j < k; j++) r = r * x + float(j);
    return r;
}
void main() {
    uint g = gl_GlobalInvocationID.x;
    vec4 v = f[g];
    vec4 w = m * v + vec4(sqrt(abs(v.x)), floor(v.y), max(v.z, 0.5), clamp(v.w, -1.0, 1.0));
    ivec4 a = iv[g];
    int s;
    switch (a.x & 3) {
        case 0: s = a.y + a.z; break;
        case 1: s = a.y * a.z; break;
        case 2: s = a.y / (a.z == 0 ? 1 : a.z); break;
        default: s = (a.y << 3) ^ (a.z >> 1);
    }
    iv[g] = ivec4(s, min(a.y, a.z), abs(a.w), int(uint(a.x) % 7u));
    f[g] = vec4(w.xy, dot(v, w), poly(v.x, 3 + int(g))) ;
}
