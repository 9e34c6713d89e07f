#version 450
// Blelloch's exclusive scan of each block of 512 uints of d[0..n) by a workgroup of 256
// (up-sweep, clear the last, down-sweep, in shared memory); the block's total goes to
// sums[group], for a second pass to scan and scan_add.comp to add back.
layout(local_size_x = 256) in;
layout(std430, set = 0, binding = 0) buffer Data { uint d[]; };
layout(std430, set = 0, binding = 1) buffer Sums { uint sums[]; };
layout(push_constant) uniform P { uint n; } p;
shared uint t[512];
void main() {
    uint l = gl_LocalInvocationID.x;
    uint base = gl_WorkGroupID.x * 512u;
    t[2 * l] = base + 2 * l < p.n ? d[base + 2 * l] : 0u;
    t[2 * l + 1] = base + 2 * l + 1 < p.n ? d[base + 2 * l + 1] : 0u;
    uint off = 1;
    for (uint s = 256; s > 0; s >>= 1) {
        barrier();
        if (l < s) {
            uint ai = off * (2 * l + 1) - 1, bi = off * (2 * l + 2) - 1;
            t[bi] += t[ai];
        }
        off *= 2;
    }
    barrier();
    if (l == 0) {
        sums[gl_WorkGroupID.x] = t[511];
        t[511] = 0;
    }
    for (uint s = 1; s < 512; s *= 2) {
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
    if (base + 2 * l < p.n) d[base + 2 * l] = t[2 * l];
    if (base + 2 * l + 1 < p.n) d[base + 2 * l + 1] = t[2 * l + 1];
}
