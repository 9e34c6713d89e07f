package dev.phoenix.x86;

import static dev.phoenix.x86.Form.X87M;
import static dev.phoenix.x86.Form.X87R;

/**
 * SDM Vol. 2, Appendix A.5, Tables: x87 FPU escape opcodes D8-DF. Memory forms are
 * keyed by ModRM.reg (one line per escape: eight names, "-" for reserved); register forms by the
 * ModRM byte (one line per escape and reg row: one name for all eight ST(i), or eight names).
 */
final class X87Map {
    private X87Map() {
    }

    private static void mem(int op, String names) {
        String[] n = names.split(" ");
        for (int r = 0; r < 8; r++) {
            if (!n[r].equals("-")) {
                Tables.X87_MEM[op - 0xD8][r] = Entry.make(n[r], X87M, 0);
            }
        }
    }

    /** Row {@code row} (ModRM C0 + 8 * row): one name for every ST(i), or eight names. */
    private static void reg(int op, int row, String names) {
        String[] n = names.split(" ");
        for (int i = 0; i < 8; i++) {
            String name = n.length == 1 ? n[0] : n[i];
            if (!name.equals("-")) {
                Tables.X87_REG[op - 0xD8][row * 8 + i] = Entry.make(name, X87R, 0);
            }
        }
    }

    static void fill() {
        mem(0xD8, "fadd fmul fcom fcomp fsub fsubr fdiv fdivr");            // D8 m32fp
        mem(0xD9, "fld - fst fstp fldenv fldcw fnstenv fnstcw");            // D9 m32fp, env, cw
        mem(0xDA, "fiadd fimul ficom ficomp fisub fisubr fidiv fidivr");    // DA m32int
        mem(0xDB, "fild fisttp fist fistp - fld - fstp");                   // DB m32int, m80fp
        mem(0xDC, "fadd fmul fcom fcomp fsub fsubr fdiv fdivr");            // DC m64fp
        mem(0xDD, "fld fisttp fst fstp frstor - fnsave fnstsw");            // DD m64fp, state
        mem(0xDE, "fiadd fimul ficom ficomp fisub fisubr fidiv fidivr");    // DE m16int
        mem(0xDF, "fild fisttp fist fistp fbld fild fbstp fistp");          // DF m16int, m80bcd, m64int

        String[] d8 = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};
        for (int row = 0; row < 8; row++) {
            reg(0xD8, row, d8[row]);                                        // D8 C0-FF: ST(0), ST(i)
        }
        reg(0xD9, 0, "fld");                                                // D9 C0: FLD ST(i)
        reg(0xD9, 1, "fxch");                                               // D9 C8: FXCH ST(i)
        reg(0xD9, 2, "fnop - - - - - - -");                                 // D9 D0: FNOP
        reg(0xD9, 3, "fstpnce");                                            // D9 D8: FSTP1 (reserved alias)
        reg(0xD9, 4, "fchs fabs - - ftst fxam - -");                        // D9 E0
        reg(0xD9, 5, "fld1 fldl2t fldl2e fldpi fldlg2 fldln2 fldz -");      // D9 E8
        reg(0xD9, 6, "f2xm1 fyl2x fptan fpatan fxtract fprem1 fdecstp fincstp"); // D9 F0
        reg(0xD9, 7, "fprem fyl2xp1 fsqrt fsincos frndint fscale fsin fcos"); // D9 F8
        reg(0xDA, 0, "fcmovb");                                             // DA C0
        reg(0xDA, 1, "fcmove");                                             // DA C8
        reg(0xDA, 2, "fcmovbe");                                            // DA D0
        reg(0xDA, 3, "fcmovu");                                             // DA D8
        reg(0xDA, 5, "- fucompp - - - - - -");                              // DA E9: FUCOMPP
        reg(0xDB, 0, "fcmovnb");                                            // DB C0
        reg(0xDB, 1, "fcmovne");                                            // DB C8
        reg(0xDB, 2, "fcmovnbe");                                           // DB D0
        reg(0xDB, 3, "fcmovnu");                                            // DB D8
        reg(0xDB, 4, "feni8087_nop fdisi8087_nop fnclex fninit fsetpm - - -"); // DB E0
        reg(0xDB, 5, "fucomi");                                             // DB E8
        reg(0xDB, 6, "fcomi");                                              // DB F0
        String[] dc = {"fadd", "fmul", "fcom", "fcomp", "fsubr", "fsub", "fdivr", "fdiv"};
        for (int row = 0; row < 8; row++) {
            if (row != 2 && row != 3) {
                reg(0xDC, row, dc[row]);                                    // DC C0-CF, E0-FF: ST(i), ST(0)
            }
        }
        // DC D0-DF (FCOM2/FCOMP3), DD C8 (FXCH4), DE D0 (FCOMP5), DF C8-DF (FXCH7, FSTP8/9):
        // reserved aliases the SDM leaves out of Tables.
        reg(0xDD, 0, "ffree");                                              // DD C0: FFREE ST(i)
        reg(0xDD, 2, "fst");                                                // DD D0: FST ST(i)
        reg(0xDD, 3, "fstp");                                               // DD D8: FSTP ST(i)
        reg(0xDD, 4, "fucom");                                              // DD E0: FUCOM ST(i)
        reg(0xDD, 5, "fucomp");                                             // DD E8: FUCOMP ST(i)
        reg(0xDE, 0, "faddp");                                              // DE C0
        reg(0xDE, 1, "fmulp");                                              // DE C8
        reg(0xDE, 3, "- fcompp - - - - - -");                               // DE D9: FCOMPP
        reg(0xDE, 4, "fsubrp");                                             // DE E0
        reg(0xDE, 5, "fsubp");                                              // DE E8
        reg(0xDE, 6, "fdivrp");                                             // DE F0
        reg(0xDE, 7, "fdivp");                                              // DE F8
        reg(0xDF, 0, "ffreep");                                             // DF C0: FFREEP (reserved)
        reg(0xDF, 4, "fnstsw - - - - - - -");                               // DF E0: FNSTSW AX
        reg(0xDF, 5, "fucomip");                                            // DF E8
        reg(0xDF, 6, "fcomip");                                             // DF F0
    }
}
