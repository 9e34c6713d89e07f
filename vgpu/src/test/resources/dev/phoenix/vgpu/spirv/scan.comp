#version 450
// Blelloch exclusive scan of 2*N elements by one workgroup of N invocations.
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Data { uint d[]; };
shared uint t[512];
void main() {
    uint l = gl_LocalInvocationID.x;
    uint n = 512;
    t[2 * l] = d[2 * l];
    t[2 * l + 1] = d[2 * l + 1];
    uint off = 1;
    for (uint s = n >> 1; s > 0; s >>= 1) {
        barrier();
        if (l < s) {
            uint ai = off * (2 * l + 1) - 1, bi = off * (2 * l + 2) - 1;
            t[bi] += t[ai];
        }
        off *= 2;
    }
    if (l == 0) t[n - 1] = 0;
    for (uint s = 1; s < n; s *= 2) {
        off >>= 1;
        barrier();
        if (l < s) {
            uint ai = off * (2 * l + 1) - 1, bi = off * (2 * l + 2) - 1;
            uint x = t[ai];
            t[ai] = t[bi];
            t[bi] += x;
        }
    }
    barrier();
    d[2 * l] = t[2 * l];
    d[2 * l + 1] = t[2 * l + 1];
}
