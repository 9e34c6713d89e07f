package dev.phoenix.x86;

/** x87 register forms (SDM Tables ): ST(0) and ST(i) in Capstone's order. */
final class X87Operands {
    private X87Operands() {
    }

    static void intel(Insn in, StringBuilder out) {
        int op = Rde.opcode(in.rde), modrm = Rde.modrm(in.rde);
        int row = (modrm >>> 3) & 7;
        String st = Regs.ST[modrm & 7];
        switch (op) {
            case 0xD8 -> out.append(st);
            case 0xD9 -> {
                if (row <= 1) {
                    out.append(st);
                } else if (row == 3) {
                    out.append(st).append(", st(0)"); // FSTPNCE (D9 D8+i)
                }
            }
            case 0xDA, 0xDB -> {
                if (row <= 3) {
                    out.append("st(0), ").append(st);
                } else if ((row == 5 || row == 6) && op == 0xDB) {
                    out.append(st);
                }
            }
            case 0xDC -> out.append(st).append(", st(0)");
            case 0xDD -> out.append(st);
            case 0xDE -> {
                if (row != 3) {
                    out.append(st);
                }
            }
            case 0xDF -> {
                if (row == 4) {
                    out.append("ax");
                } else if (row >= 5) {
                    out.append(st);
                } else {
                    out.append(st);
                }
            }
            default -> { }
        }
    }
}
