package dev.phoenix.vgpu.vulkan;

import dev.phoenix.vgpu.ShaderException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The Khronos validator, spirv-val (Debian package spirv-tools), run on every module before a
 * driver sees it. Drivers assume valid SPIR-V (Vulkan spec "Valid Usage" of
 * VkShaderModuleCreateInfo: pCode must adhere to the validation rules of the SPIR-V and
 * Vulkan-environment specs); lavapipe crashes the process on, for instance, a module that lost its
 * last OpFunctionEnd. {@link SpirvInfo}'s structural check stays first (it is cheap and gives the
 * passthrough's own refusals); this is the full check until Phoenix's own validator can be shared.
 */
final class SpirvVal {
    private static final long TIMEOUT_SECONDS = 20;
    private final String targetEnv;

    private SpirvVal(String targetEnv) {
        this.targetEnv = targetEnv;
    }

    /** Finds spirv-val on PATH for the Vulkan version {@code apiVersion} (its environment rules). */
    static SpirvVal find(int apiVersion) throws VulkanUnavailableException {
        int minor = Math.min(3, (apiVersion >>> 12) & 0x3ff);
        SpirvVal v = new SpirvVal("vulkan1." + minor);
        try {
            Process p = new ProcessBuilder("spirv-val", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("spirv-val --version failed");
        } catch (IOException e) {
            throw new VulkanUnavailableException("spirv-val not found (it guards the driver against invalid SPIR-V): apt-get install -y spirv-tools");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VulkanUnavailableException("interrupted while looking for spirv-val");
        }
        return v;
    }

    /** Validates {@code spirv}; refuses with spirv-val's first error line. */
    void validate(byte[] spirv) throws ShaderException {
        Process p;
        try {
            p = new ProcessBuilder("spirv-val", "--target-env", targetEnv, "-").redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new ShaderException("SPIR-V: the validator could not run: " + e.getMessage());
        }
        try {
            // The module is small (a few KiB to a few hundred); spirv-val reads all of stdin before
            // writing, so writing first and reading after cannot deadlock.
            try (OutputStream in = p.getOutputStream()) {
                in.write(spirv);
            } catch (IOException ignored) {
                // spirv-val stopped reading: its exit status says why.
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) throw new ShaderException("SPIR-V: the validator timed out");
            if (p.exitValue() != 0) {
                String first = log.isEmpty() ? "invalid module" : log.lines().findFirst().orElse(log);
                if (first.startsWith("error: ")) first = first.substring(7);
                throw new ShaderException("SPIR-V: " + first);
            }
        } catch (IOException e) {
            throw new ShaderException("SPIR-V: the validator failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShaderException("SPIR-V: validation interrupted");
        } finally {
            p.destroyForcibly();
        }
    }
}
