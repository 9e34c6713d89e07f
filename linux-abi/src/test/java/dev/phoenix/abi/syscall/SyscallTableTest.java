package dev.phoenix.abi.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.linux.LinuxSyscalls;
import dev.phoenix.emu.Arch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The syscall tables checked against themselves and against Linux's own numbering, read from
 * the kernel UAPI headers Debian installs (linux-libc-dev and the cross libc6-dev packages).
 */
class SyscallTableTest {
    private static final Pattern DEFINE = Pattern.compile(
            "#define __NR(?:3264)?_(\\w+)\\s+\\(?\\s*(?:(__NR_arch_specific_syscall)\\s*\\+\\s*)?(\\d+)\\)?");
    /** Numbers added after the Linux 6.1 headers Debian 12 ships (arch/riscv uapi unistd.h, Linux 6.4). */
    private static final Map<String, Integer> NEWER_THAN_HEADERS = Map.of("riscv_hwprobe", 258);

    private static Map<String, Integer> linuxNumbers(Arch arch) throws IOException {
        Path[] headers = switch (arch) {
            case X86_64 -> new Path[] {Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h")};
            case AARCH64 -> new Path[] {Path.of("/usr/aarch64-linux-gnu/include/asm-generic/unistd.h")};
            case RISCV64 -> new Path[] {Path.of("/usr/riscv64-linux-gnu/include/asm-generic/unistd.h"),
                Path.of("/usr/riscv64-linux-gnu/include/asm/unistd.h")};
        };
        Map<String, Integer> numbers = new HashMap<>(arch == Arch.RISCV64 ? NEWER_THAN_HEADERS : Map.of());
        for (Path h : headers) {
            assertTrue(Files.isRegularFile(h), h + " missing: apt-get install -y linux-libc-dev "
                    + "libc6-dev-arm64-cross libc6-dev-riscv64-cross");
            int archSpecific = 244; // __NR_arch_specific_syscall in asm-generic/unistd.h
            for (String line : Files.readAllLines(h)) {
                Matcher m = DEFINE.matcher(line.strip());
                if (m.matches()) {
                    int n = Integer.parseInt(m.group(3)) + (m.group(2) != null ? archSpecific : 0);
                    numbers.putIfAbsent(m.group(1), n);
                }
            }
        }
        // asm-generic spells these with their 64-bit names.
        if (arch != Arch.X86_64) {
            numbers.put("newfstatat", numbers.get("fstatat"));
        }
        return numbers;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void everyNumberIsLinuxsNumberForThatArch(Arch arch) throws IOException {
        Map<String, Integer> linux = linuxNumbers(arch);
        for (Map.Entry<String, Integer> e : ArchAbi.of(arch).syscallNumbers().entrySet()) {
            assertEquals(linux.get(e.getKey()), e.getValue(), arch + " " + e.getKey());
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void tableHasNoDuplicatesAndEveryEntryIsComplete(Arch arch) {
        SyscallTable t = SyscallTable.of(arch);
        Set<String> names = new HashSet<>();
        int entries = 0;
        for (int nr = 0; nr < t.size(); nr++) {
            SyscallDef d = t.get(nr);
            if (d == null) {
                continue;
            }
            entries++;
            assertTrue(names.add(d.name()), "two numbers for " + d.name());
            assertNotNull(d.handler(), d.name());
            assertNotNull(d.args(), d.name() + " has no strace format");
            assertNotNull(d.result(), d.name() + " has no strace result format");
            if (d.support() != Support.SUPPORTED) {
                assertTrue(!d.note().isBlank(), d.name() + " is " + d.support() + " without a note");
            }
            if (d.support() == Support.UNSUPPORTED) {
                assertTrue(d.errno() > 0, d.name() + " is unsupported without an errno");
            }
        }
        assertEquals(ArchAbi.of(arch).syscallNumbers().size(), entries);
    }

    @Test
    void everyDeclarationHasANumberOnSomeArch() {
        for (SyscallDef d : LinuxSyscalls.definitions()) {
            boolean numbered = false;
            for (Arch a : Arch.values()) {
                numbered |= ArchAbi.of(a).syscallNumbers().containsKey(d.name());
            }
            assertTrue(numbered, d.name() + " is declared but no arch numbers it");
        }
    }

    @Test
    void unknownNumbersAreNotInTheTable() {
        assertEquals(null, SyscallTable.of(Arch.X86_64).get(-1));
        assertEquals(null, SyscallTable.of(Arch.X86_64).get(100_000));
        assertEquals(null, SyscallTable.of(Arch.AARCH64).get(244)); // __NR_arch_specific_syscall: unused on arm64
    }
}
