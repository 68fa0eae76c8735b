package dev.ovm.cpu;

/**
 * The RV64C compressed instructions (Unpriv spec chapter 16), executed by expansion: every 16-bit
 * instruction maps to the 32-bit instruction it stands for, looked up in a 64K-entry table built
 * once. C.FLD, C.FSD, C.FLDSP and C.FSDSP expand to FLD/FSD, which check mstatus.FS like their
 * 32-bit forms. Reserved encodings expand to 0, which the caller raises as an illegal instruction with the 16 bits as tval. The all-zero halfword is one of them.
 */
final class Rvc {
  /** Expansion of every halfword whose low two bits are not 11; 0 = illegal. */
  private static final int[] EXPANDED = new int[1 << 16];

  static {
    for (int h = 0; h < EXPANDED.length; h++) {
      EXPANDED[h] = (h & 3) == 3 ? 0 : decode(h);
    }
  }

  private Rvc() {}

  /** The 32-bit expansion of compressed instruction {@code halfword}, or 0 if it is illegal. */
  @SuppressWarnings("index") // masked to 16 bits; the table has 2^16 entries
  static int expand(int halfword) {
    return EXPANDED[halfword & 0xFFFF];
  }

  private static int bits(int h, int hi, int lo) {
    return (h >> lo) & ((1 << (hi - lo + 1)) - 1);
  }

  private static int bit(int h, int n) {
    return (h >> n) & 1;
  }

  /** rd'/rs1'/rs2' fields name x8..x15. */
  private static int prime(int field) {
    return field + 8;
  }

  private static int signExtend(int value, int bits) {
    return (value << (32 - bits)) >> (32 - bits);
  }

  private static int decode(int h) {
    int funct3 = bits(h, 15, 13);
    return switch (h & 3) {
      case 0 -> quadrant0(h, funct3);
      case 1 -> quadrant1(h, funct3);
      default -> quadrant2(h, funct3);
    };
  }

  private static int quadrant0(int h, int funct3) {
    int rdPrime = prime(bits(h, 4, 2));
    int rs1Prime = prime(bits(h, 9, 7));
    int offsetW = bits(h, 12, 10) << 3 | bit(h, 6) << 2 | bit(h, 5) << 6;
    int offsetD = bits(h, 12, 10) << 3 | bits(h, 6, 5) << 6;
    return switch (funct3) {
      case 0 -> { // C.ADDI4SPN; nzuimm = 0 is reserved
        int imm = bits(h, 12, 11) << 4 | bits(h, 10, 7) << 6 | bit(h, 6) << 2 | bit(h, 5) << 3;
        yield imm == 0 ? 0 : Opcode.i(imm, 2, 0, rdPrime, Opcode.OP_IMM);
      }
      case 2 -> Opcode.i(offsetW, rs1Prime, 2, rdPrime, Opcode.LOAD); // C.LW
      case 3 -> Opcode.i(offsetD, rs1Prime, 3, rdPrime, Opcode.LOAD); // C.LD
      case 6 -> Opcode.s(offsetW, rdPrime, rs1Prime, 2, Opcode.STORE); // C.SW
      case 7 -> Opcode.s(offsetD, rdPrime, rs1Prime, 3, Opcode.STORE); // C.SD
      case 1 -> Opcode.i(offsetD, rs1Prime, 3, rdPrime, Opcode.LOAD_FP); // C.FLD
      case 5 -> Opcode.s(offsetD, rdPrime, rs1Prime, 3, Opcode.STORE_FP); // C.FSD
      default -> 0; // reserved (funct3 4)
    };
  }

  private static int quadrant1(int h, int funct3) {
    int rd = bits(h, 11, 7);
    int imm6 = signExtend(bit(h, 12) << 5 | bits(h, 6, 2), 6);
    return switch (funct3) {
      case 0 -> Opcode.i(imm6, rd, 0, rd, Opcode.OP_IMM); // C.ADDI (C.NOP, hints)
      case 1 -> rd == 0 ? 0 : Opcode.i(imm6, rd, 0, rd, Opcode.OP_IMM_32); // C.ADDIW
      case 2 -> Opcode.i(imm6, 0, 0, rd, Opcode.OP_IMM); // C.LI
      case 3 -> luiOrAddi16sp(h, rd);
      case 4 -> arithmetic(h);
      case 5 -> Opcode.j(jumpOffset(h), 0, Opcode.JAL); // C.J
      default -> { // C.BEQZ, C.BNEZ
        int offset = signExtend(bit(h, 12) << 8 | bits(h, 11, 10) << 3 | bits(h, 6, 5) << 6
            | bits(h, 4, 3) << 1 | bit(h, 2) << 5, 9);
        yield Opcode.b(offset, 0, prime(bits(h, 9, 7)), funct3 == 6 ? 0 : 1, Opcode.BRANCH);
      }
    };
  }

  private static int luiOrAddi16sp(int h, int rd) {
    if (rd == 2) { // C.ADDI16SP; nzimm = 0 is reserved
      int imm = signExtend(bit(h, 12) << 9 | bit(h, 6) << 4 | bit(h, 5) << 6 | bits(h, 4, 3) << 7
          | bit(h, 2) << 5, 10);
      return imm == 0 ? 0 : Opcode.i(imm, 2, 0, 2, Opcode.OP_IMM);
    }
    int imm = signExtend(bit(h, 12) << 17 | bits(h, 6, 2) << 12, 18); // C.LUI
    return imm == 0 ? 0 : Opcode.u(imm, rd, Opcode.LUI);
  }

  private static int jumpOffset(int h) {
    return signExtend(bit(h, 12) << 11 | bit(h, 11) << 4 | bits(h, 10, 9) << 8 | bit(h, 8) << 10
        | bit(h, 7) << 6 | bit(h, 6) << 7 | bits(h, 5, 3) << 1 | bit(h, 2) << 5, 12);
  }

  private static int arithmetic(int h) {
    int rd = prime(bits(h, 9, 7));
    int shamt = bit(h, 12) << 5 | bits(h, 6, 2);
    return switch (bits(h, 11, 10)) {
      case 0 -> Opcode.i(shamt, rd, 5, rd, Opcode.OP_IMM); // C.SRLI
      case 1 -> Opcode.i(0x400 | shamt, rd, 5, rd, Opcode.OP_IMM); // C.SRAI
      case 2 -> Opcode.i(signExtend(shamt, 6), rd, 7, rd, Opcode.OP_IMM); // C.ANDI
      default -> {
        int rs2 = prime(bits(h, 4, 2));
        int op = bits(h, 6, 5);
        if (bit(h, 12) == 0) {
          yield switch (op) {
            case 0 -> Opcode.r(0x20, rs2, rd, 0, rd, Opcode.OP); // C.SUB
            case 1 -> Opcode.r(0, rs2, rd, 4, rd, Opcode.OP); // C.XOR
            case 2 -> Opcode.r(0, rs2, rd, 6, rd, Opcode.OP); // C.OR
            default -> Opcode.r(0, rs2, rd, 7, rd, Opcode.OP); // C.AND
          };
        }
        yield switch (op) {
          case 0 -> Opcode.r(0x20, rs2, rd, 0, rd, Opcode.OP_32); // C.SUBW
          case 1 -> Opcode.r(0, rs2, rd, 0, rd, Opcode.OP_32); // C.ADDW
          default -> 0; // reserved
        };
      }
    };
  }

  private static int quadrant2(int h, int funct3) {
    int rd = bits(h, 11, 7);
    int rs2 = bits(h, 6, 2);
    return switch (funct3) {
      case 0 -> Opcode.i(bit(h, 12) << 5 | rs2, rd, 1, rd, Opcode.OP_IMM); // C.SLLI
      case 2 -> { // C.LWSP; rd = 0 reserved
        int offset = bit(h, 12) << 5 | bits(h, 6, 4) << 2 | bits(h, 3, 2) << 6;
        yield rd == 0 ? 0 : Opcode.i(offset, 2, 2, rd, Opcode.LOAD);
      }
      case 3 -> { // C.LDSP; rd = 0 reserved
        int offset = bit(h, 12) << 5 | bits(h, 6, 5) << 3 | bits(h, 4, 2) << 6;
        yield rd == 0 ? 0 : Opcode.i(offset, 2, 3, rd, Opcode.LOAD);
      }
      case 4 -> jumpsAndMoves(h, rd, rs2);
      case 6 -> Opcode.s(bits(h, 12, 9) << 2 | bits(h, 8, 7) << 6, rs2, 2, 2, Opcode.STORE); // C.SWSP
      case 7 -> Opcode.s(bits(h, 12, 10) << 3 | bits(h, 9, 7) << 6, rs2, 2, 3, Opcode.STORE); // C.SDSP
      case 1 -> { // C.FLDSP (any rd, f0 included)
        int offset = bit(h, 12) << 5 | bits(h, 6, 5) << 3 | bits(h, 4, 2) << 6;
        yield Opcode.i(offset, 2, 3, rd, Opcode.LOAD_FP);
      }
      default -> Opcode.s(bits(h, 12, 10) << 3 | bits(h, 9, 7) << 6, rs2, 2, 3, Opcode.STORE_FP); // C.FSDSP
    };
  }

  private static int jumpsAndMoves(int h, int rd, int rs2) {
    if (bit(h, 12) == 0) {
      if (rs2 == 0) { // C.JR; rs1 = 0 reserved
        return rd == 0 ? 0 : Opcode.i(0, rd, 0, 0, Opcode.JALR);
      }
      return Opcode.r(0, rs2, 0, 0, rd, Opcode.OP); // C.MV
    }
    if (rs2 == 0) {
      return rd == 0 ? Opcode.EBREAK : Opcode.i(0, rd, 0, 1, Opcode.JALR); // C.EBREAK, C.JALR
    }
    return Opcode.r(0, rs2, rd, 0, rd, Opcode.OP); // C.ADD
  }
}
