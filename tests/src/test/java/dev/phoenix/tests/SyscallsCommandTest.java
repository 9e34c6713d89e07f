package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code phoenix syscalls}: the coverage table in Markdown, CSV and JSON, one row per Linux number. */
class SyscallsCommandTest {
    @Test
    void markdownCoversEveryArchWithCountsThatAddUp() {
        Result r = Guests.phoenix("syscalls");
        assertEquals(0, r.exit(), r.err());
        Pattern summary = Pattern.compile("(\\d+) syscalls \\(0-469\\): (\\d+) supported, (\\d+) partial, (\\d+) unsupported.*");
        int tables = 0;
        for (String arch : List.of("x86_64", "aarch64", "riscv64")) {
            String section = r.out().substring(r.out().indexOf("## " + arch + "\n"));
            Matcher m = summary.matcher(section.lines().skip(2).findFirst().orElseThrow());
            assertTrue(m.matches(), section.lines().limit(3).toList().toString());
            int total = Integer.parseInt(m.group(1));
            assertEquals(total, Integer.parseInt(m.group(2)) + Integer.parseInt(m.group(3)) + Integer.parseInt(m.group(4)));
            long rows = section.lines().skip(6).takeWhile(l -> l.startsWith("| ")).count();
            assertEquals(total, rows, arch);
            tables++;
        }
        assertEquals(3, tables);
        assertTrue(r.out().contains("| 0 | read | SUPPORTED |  |\n"), r.out());
        assertTrue(r.out().contains("| 462 | mseal | UNSUPPORTED | ENOSYS: not implemented |\n"), r.out());
        assertTrue(r.out().contains("| 293 | rseq | UNSUPPORTED | ENOSYS: restartable sequences are optional"), r.out());
    }

    @Test
    void csvHasOneRowPerX86_64NumberThrough469() {
        Result r = Guests.phoenix("syscalls", "--arch", "x86_64", "--format", "csv");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("number,name,status,note", lines.get(0));
        assertEquals(381 + 1, lines.size());
        assertEquals("2,open,PARTIAL,\"as openat\"", lines.get(3));
        assertEquals("469,file_setattr,UNSUPPORTED,\"ENOSYS: not implemented\"", lines.get(lines.size() - 1));
        for (int i = 1; i < lines.size(); i++) {
            assertTrue(lines.get(i).matches("\\d+,\\w+,(SUPPORTED|PARTIAL|UNSUPPORTED),\".*\""), lines.get(i));
        }
    }

    @Test
    void jsonListsRiscv64sOwnSyscalls() {
        Result r = Guests.phoenix("syscalls", "--arch", "riscv64", "--format", "json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("{\"arch\": \"riscv64\", \"syscalls\": [\n"), r.out());
        assertTrue(r.out().contains("{\"number\": 258, \"name\": \"riscv_hwprobe\", \"status\": \"UNSUPPORTED\", "
                + "\"note\": \"ENOSYS: glibc falls back to AT_HWCAP\"}"), r.out());
        assertEquals(326, r.out().lines().filter(l -> l.startsWith("  {\"number\": ")).count());
        assertTrue(r.out().endsWith("\n]}\n"), r.out());
    }

    @Test
    void badArchOrFormatWithoutArchIsAUsageError() {
        assertEquals(new Result(2, "", "phoenix: unknown --arch 'sparc': use x86_64, aarch64 or riscv64\n"
                + "Try 'phoenix syscalls --help'.\n"),
                Guests.phoenix("syscalls", "--arch", "sparc"));
        assertEquals(new Result(2, "", "phoenix: --format json needs --arch (x86_64, aarch64 or riscv64)\n"
                + "Try 'phoenix syscalls --help'.\n"),
                Guests.phoenix("syscalls", "--format", "json"));
    }
}
