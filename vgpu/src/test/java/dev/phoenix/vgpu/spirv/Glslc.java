package dev.phoenix.vgpu.spirv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Compiles the GLSL compute shaders of the test resources with glslc, as the build of guests does. */
final class Glslc {
    private Glslc() {}

    /** The SPIR-V of resource {@code name}.comp compiled with glslc and {@code flags} (e.g. "-O", "-O0"). */
    static byte[] compile(String name, String env, String opt) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("glslc");
        try {
            Path src = dir.resolve(name + ".comp"), out = dir.resolve(name + ".spv");
            try (InputStream in = Glslc.class.getResourceAsStream(name + ".comp")) {
                if (in == null) throw new IOException("no resource " + name + ".comp");
                Files.write(src, in.readAllBytes());
            }
            Process p;
            try {
                p = new ProcessBuilder("glslc", opt, "-fshader-stage=compute", "--target-env=" + env, src.toString(), "-o", out.toString())
                        .redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("glslc not found: apt-get install -y glslc", e);
            }
            String log = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IOException("glslc failed: " + log);
            return Files.readAllBytes(out);
        } finally {
            try (var s = Files.list(dir)) {
                for (Path f : s.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }
}
