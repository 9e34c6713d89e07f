package dev.phoenix.abi.strace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** strace's line shapes that need no guest: -f's [pid N] prefix, -a40 alignment, flag and struct names. */
class StraceTest {
    @Test
    void followPrefixesEveryLineOnceASecondTaskIsTraced() {
        Strace s = new Strace(new PrintStream(new ByteArrayOutputStream()), true);
        assertEquals("", prefixAfter(s, 1000));
        assertEquals("[pid 1001] ", prefixAfter(s, 1001));
        assertEquals("[pid 1000] ", prefixAfter(s, 1000));
    }

    @Test
    void withoutFollowOnlyTheFirstTaskIsTracedAndNeverPrefixed() {
        Strace s = new Strace(new PrintStream(new ByteArrayOutputStream()), false);
        assertEquals("", prefixAfter(s, 1000));
        assertEquals(null, prefixAfter(s, 1001));
    }

    private static String prefixAfter(Strace s, int tid) {
        return s.traces(tid) ? s.prefix(tid) : null;
    }

    @Test
    void resultsLineUpInColumn40() {
        assertEquals("close(3)                                ", Strace.align("close(3)"));
        assertEquals("x".repeat(45) + " ", Strace.align("x".repeat(45)));
    }

    @Test
    void flagsAndValuesHaveTheirNames() {
        assertEquals("O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC",
                Names.openFlags(dev.phoenix.abi.x86_64.Abi.INSTANCE, 02 | 0100 | 0200 | 02000000));
        assertEquals("O_RDONLY|O_DIRECTORY", Names.openFlags(dev.phoenix.abi.aarch64.Abi.INSTANCE, 040000));
        assertEquals("O_RDONLY|O_DIRECTORY", Names.openFlags(dev.phoenix.abi.riscv64.Abi.INSTANCE, 0200000));
        assertEquals("MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|0x10000000", Names.mmapFlags(0x10000032));
        assertEquals("MAP_FILE|MAP_ANONYMOUS", Names.mmapFlags(0x20));
        assertEquals("0x40 /* ?_OK */", Names.ACCESS.format(0x40));
        assertEquals("R_OK|0x40", Names.ACCESS.format(0x44));
        assertEquals("PROT_NONE", Names.PROT.format(0));
        assertEquals("CLOCK_BOOTTIME", Names.CLOCK.format(7));
        assertEquals("0xfffffffa /* CLOCK_??? */", Names.CLOCK.format(-6 & 0xffffffffL));
        assertEquals("0x1234", Names.IOCTL.format(0x1234));
        assertEquals("LOCK_EX|LOCK_NB", Names.FLOCK.format(6));
    }

    @Test
    void structFieldsReadAsStraceShowsThem() {
        assertEquals("S_IFDIR|S_ISVTX|0777", Structs.mode(041777));
        assertEquals("[INT TERM]", Structs.sigset((1L << 1) | (1L << 14)));
        assertEquals("~[KILL STOP]", Structs.sigset(~((1L << 8) | (1L << 18))));
        assertEquals("[]", Structs.sigset(0));
    }
}
