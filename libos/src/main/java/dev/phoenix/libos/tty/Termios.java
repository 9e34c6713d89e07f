package dev.phoenix.libos.tty;

/**
 * The kernel's {@code struct termios} (asm-generic/termbits.h, the one TCGETS and TCSETS copy on
 * x86_64, aarch64 and riscv64 alike: four 32-bit flag words, c_line and 19 control characters,
 * 36 bytes), with the flag and index values of termios(3).
 */
public final class Termios {
    /** sizeof(struct termios) as the kernel copies it. */
    public static final int SIZE = 36;
    /** NCCS in the kernel's struct. */
    public static final int NCCS = 19;

    // c_iflag
    public static final int ISTRIP = 040, INLCR = 0100, IGNCR = 0200, ICRNL = 0400, IUCLC = 01000, IXON = 02000,
            IXANY = 04000, IUTF8 = 040000;
    // c_oflag
    public static final int OPOST = 01, OLCUC = 02, ONLCR = 04, OCRNL = 010, ONOCR = 020, ONLRET = 040,
            TABDLY = 014000, XTABS = 014000;
    // c_cflag
    public static final int B38400 = 017, CS8 = 060, CREAD = 0200;
    // c_lflag
    public static final int ISIG = 01, ICANON = 02, ECHO = 010, ECHOE = 020, ECHOK = 040, ECHONL = 0100,
            NOFLSH = 0200, TOSTOP = 0400, ECHOCTL = 01000, ECHOKE = 04000, IEXTEN = 0100000;
    // indices into c_cc
    public static final int VINTR = 0, VQUIT = 1, VERASE = 2, VKILL = 3, VEOF = 4, VTIME = 5, VMIN = 6,
            VSTART = 8, VSTOP = 9, VSUSP = 10, VEOL = 11, VREPRINT = 12, VWERASE = 14, VLNEXT = 15, VEOL2 = 16;

    public int iflag, oflag, cflag, lflag;
    public byte line;
    public final byte[] cc = new byte[NCCS];

    /**
     * A pseudo-terminal slave's settings when it is made: Linux's tty_std_termios with the pts
     * driver's c_cflag (B38400, CS8, CREAD; no HUPCL) and INIT_C_CC (^C ^\ DEL ^U ^D, VMIN 1,
     * ^Q ^S ^Z, ^R ^O ^W ^V).
     */
    public static Termios ptySlave() {
        Termios t = new Termios();
        t.iflag = ICRNL | IXON;
        t.oflag = OPOST | ONLCR;
        t.cflag = B38400 | CS8 | CREAD;
        t.lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN;
        byte[] cc = {3, 034, 0177, 025, 4, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0, 0, 0};
        System.arraycopy(cc, 0, t.cc, 0, NCCS);
        return t;
    }

    /** The 36 bytes TCGETS copies out (little-endian words, as on every arch Phoenix runs). */
    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        putInt(b, 0, iflag);
        putInt(b, 4, oflag);
        putInt(b, 8, cflag);
        putInt(b, 12, lflag);
        b[16] = line;
        System.arraycopy(cc, 0, b, 17, NCCS);
        return b;
    }

    /** Takes every field from the 36 bytes TCSETS copies in. */
    public void set(byte[] b) {
        iflag = getInt(b, 0);
        oflag = getInt(b, 4);
        cflag = getInt(b, 8);
        lflag = getInt(b, 12);
        line = b[16];
        System.arraycopy(b, 17, cc, 0, NCCS);
    }

    /** True when every bit of {@code lflag} bits {@code bits} is set. */
    boolean l(int bits) {
        return (lflag & bits) == bits;
    }

    boolean i(int bits) {
        return (iflag & bits) == bits;
    }

    boolean o(int bits) {
        return (oflag & bits) == bits;
    }

    /** Control character {@code index}, or -1 when it is disabled (_POSIX_VDISABLE, 0). */
    int special(int index) {
        int c = cc[index] & 0xff;
        return c == 0 ? -1 : c;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
