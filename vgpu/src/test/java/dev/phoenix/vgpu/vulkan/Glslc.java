package dev.phoenix.vgpu.vulkan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Compiles the test shaders (src/test/resources/shaders/NAME.comp) to SPIR-V with Debian's glslc. */
final class Glslc {
    private Glslc() { }

    /** The SPIR-V of shader {@code name}; a missing glslc fails with the command that installs it. */
    static byte[] compile(String name) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("phoenix-glslc");
        try {
            Path src = dir.resolve(name + ".comp"), out = dir.resolve(name + ".spv");
            try (InputStream in = Glslc.class.getResourceAsStream("/shaders/" + name + ".comp")) {
                if (in == null) throw new IOException("no shader " + name);
                Files.write(src, in.readAllBytes());
            }
            Process p;
            try {
                p = new ProcessBuilder("glslc", "-O", "-o", out.toString(), src.toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new IOException("glslc not found: apt-get install -y glslc", e);
            }
            String log = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) throw new IOException("glslc failed on " + name + ": " + log);
            return Files.readAllBytes(out);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(dir);
        }
    }
}
