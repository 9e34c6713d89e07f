package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Debian's static busybox (package busybox-static), a real program we did not write, under Phoenix. */
class BusyboxTest {
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    private static Result busybox(String... args) {
        assertTrue(Files.isRegularFile(BUSYBOX), "/bin/busybox missing: apt-get install -y busybox-static");
        String[] argv = new String[args.length + 3];
        argv[0] = "run";
        argv[1] = "-i";
        argv[2] = BUSYBOX.toString();
        System.arraycopy(args, 0, argv, 3, args.length);
        return Guests.phoenix(argv);
    }

    @Test
    void echo() throws Exception {
        Result r = busybox("echo", "hello", "from", "busybox");
        assertEquals(new Result(0, "hello from busybox\n", ""), r);
        assertEquals(Guests.host(List.of("/bin/busybox", "echo", "hello", "from", "busybox"), List.of()), r);
    }

    @Test
    void trueAndFalse() {
        assertEquals(new Result(0, "", ""), busybox("true"));
        assertEquals(new Result(1, "", ""), busybox("false"));
    }

    @Test
    void unameMachineIsTheGuestArch() {
        assertEquals(new Result(0, "x86_64\n", ""), busybox("uname", "-m"));
    }

    @Test
    void unameReleaseShowsTheGuestRanUnderPhoenix() {
        // The host kernel would print its own release; only Phoenix's uname(2) says "phoenix".
        assertEquals(new Result(0, "6.1.0-phoenix\n", ""), busybox("uname", "-r"));
    }
}
