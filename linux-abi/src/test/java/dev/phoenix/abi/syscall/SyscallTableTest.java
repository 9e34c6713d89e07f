package dev.phoenix.abi.syscall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.linux.LinuxSyscalls;
import dev.phoenix.emu.Arch;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The syscall tables checked against themselves and against Linux's own numbering, kept in
 * src/test/resources/linux/ARCH.h as {@code <asm/unistd.h>} defines them (Linux 6.17; regenerate
 * with scripts/syscall-data.py).
 */
class SyscallTableTest {
    private static final Pattern DEFINE = Pattern.compile("#define __NR_(\\w+) (\\d+)");

    private static Map<String, Integer> linuxNumbers(Arch arch) throws IOException {
        String resource = "/linux/" + arch.unameMachine() + ".h";
        Map<String, Integer> numbers = new HashMap<>();
        try (var in = SyscallTableTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                Matcher m = DEFINE.matcher(line);
                if (m.matches()) {
                    assertNull(numbers.put(m.group(1), Integer.parseInt(m.group(2))), line);
                }
            }
        }
        return numbers;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void theTableIsExactlyLinuxsNumberingForThatArch(Arch arch) throws IOException {
        Map<String, Integer> linux = linuxNumbers(arch);
        SyscallTable t = SyscallTable.of(arch);
        Map<String, Integer> ours = new HashMap<>();
        for (int nr = 0; nr < t.size(); nr++) {
            if (t.get(nr) != null) {
                ours.put(t.get(nr).name(), nr);
            }
        }
        assertEquals(new TreeMap<>(linux), new TreeMap<>(ours));
        assertEquals(ArchAbi.of(arch).syscallNumbers(), ours);
    }

    @Test
    void x86_64CoversEveryNumberThroughTheNewestSyscalls() throws IOException {
        SyscallTable t = SyscallTable.of(Arch.X86_64);
        assertEquals("mseal", t.get(462).name());
        assertEquals("file_setattr", t.get(469).name());
        assertEquals(470, t.size());
        // 0-334 and 424-469 are assigned (x32's 512-547 are another ABI): 381 numbers.
        assertEquals(381, linuxNumbers(Arch.X86_64).size());
    }

    /**
     * How many registers the kinds read: FCNTL_CMD, IOCTL_REQ and CLONE_ARGS two, PRCTL_OPTION and FUTEX_OP five,
     * CLONE_FLAGS the five after clone's flags, SIGRETURN_MASK none.
     */
    private static int registers(Arg[] args) {
        int n = 0;
        for (Arg a : args) {
            n += a == Arg.FCNTL_CMD || a == Arg.IOCTL_REQ || a == Arg.CLONE_ARGS ? 2
                    : a == Arg.PRCTL_OPTION || a == Arg.FUTEX_OP || a == Arg.CLONE_FLAGS ? 5
                    : a == Arg.SIGRETURN_MASK ? 0 : 1;
        }
        return n;
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void everyDeclarationShowsAsManyArgumentsAsLinuxPasses(Arch arch) {
        for (Numbering.Entry e : ArchAbi.of(arch).syscalls()) {
            SyscallDef d = SyscallTable.of(arch).get(e.number());
            assertEquals(registers(e.args()), registers(d.args()), arch + " " + e.name() + " argument count");
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
            assertTrue(d.isMissing() || LinuxSyscalls.definitions().contains(d), d.name());
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
        assertEquals(null, SyscallTable.of(Arch.X86_64).get(400)); // between 334 and 424 nothing is assigned
    }
}
