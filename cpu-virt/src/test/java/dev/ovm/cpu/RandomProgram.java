package dev.ovm.cpu;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A random guest program made to be translated: a loop whose body is mostly instructions that
 * blocks take (every OP, OP-IMM, OP-32 and OP-IMM-32 funct combination, M-extension divisions by
 * zero and overflows, LUI, AUIPC, loads and stores of every width and compressed forms, to valid,
 * misaligned and faulting addresses), forward branches, inner loops and calls, with instructions
 * that end a block sprinkled in: counter CSR reads (which expose the retired count exactly),
 * FENCE, FENCE.I, AMOs, ECALL, EBREAK and reserved encodings. Traps go to {@link
 * DifferentialGuest}'s handler, which skips the instruction.
 *
 * <p>Register roles keep stores away from code, so that no translated block can go stale: stores
 * and AMOs address only through the base registers sp, gp, s0 and s1, which nothing writes; tp,
 * t3 and t4 hold constants for division overflow; s10 and s11 count loops, ra links (and may
 * address) calls, t5 and t6 belong to the handler; the other registers are scratch, written freely and read by anything.
 *
 * <p>Each item of the body is generated from one {@code long} seed, so that a shrunk list of
 * seeds is a shorter program.
 */
final class RandomProgram {
  static final int SP = 2, GP = 3, TP = 4, S0 = 8, S1 = 9, S10 = 26, S11 = 27, T3 = 28, T4 = 29;
  static final int[] SCRATCH = {5, 6, 7, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
      24, 25};
  static final int[] BASES = {SP, GP, S0, S1};
  private static final int[] BRANCHES = {0, 1, 4, 5, 6, 7};
  private static final int[][] OP_32 = {{0, 0}, {0, 1}, {0, 5}, {0x20, 0}, {0x20, 5}, {1, 0},
      {1, 4}, {1, 5}, {1, 6}, {1, 7}};
  private static final int[] AMOS = {0x02, 0x03, 0x01, 0x00, 0x04, 0x0C, 0x08, 0x10, 0x14, 0x18,
      0x1C};
  private static final int[] COUNTERS = {CsrAddress.CYCLE, CsrAddress.TIME, CsrAddress.INSTRET,
      CsrAddress.MCYCLE, CsrAddress.MINSTRET};
  private static final long[] INTERESTING = {0, 1, -1, 2, Long.MIN_VALUE, Long.MAX_VALUE,
      Integer.MIN_VALUE, Integer.MAX_VALUE, 0xFFFF_FFFFL, 0x8000_0000L, 63, 64, 31, 32};
  /** What gp and s1 may hold: valid, misaligned, past the end of RAM, Sv39 pages, outside RAM. */
  private static final long[] FAULTY_BASES = {DifferentialGuest.DATA + 0x2800,
      DifferentialGuest.DATA + 0x2803, 0, DifferentialGuest.RAM_END - 0x400,
      DifferentialGuest.VA_RW + 0x800, DifferentialGuest.VA_RO + 0x800, 0x80_0000_0000L};

  private final GuestCode code = new GuestCode();
  private final int[] functions;

  /**
   * @param body seeds of the loop body's items
   * @param functionItems seeds of the called functions' items, dealt round-robin to up to three
   *     functions (none if empty)
   * @param iterations how many times the loop runs
   */
  RandomProgram(List<Long> body, List<Long> functionItems, int iterations) {
    functions = new int[Math.min(3, functionItems.size())];
    for (int i = 0; i < functions.length; i++) {
      functions[i] = code.newLabel();
    }
    int top = code.newLabel();
    code.word(addi(S11, 0, iterations));
    code.label(top);
    for (long seed : body) {
      item(new SplittableRandom(seed), 2);
    }
    code.word(addi(S11, S11, -1));
    code.branch(1, S11, 0, top); // bne s11, zero, top
    int end = code.newLabel();
    code.jal(0, end);
    for (int f = 0; f < functions.length; f++) {
      code.label(functions[f]);
      for (int i = f; i < functionItems.size(); i += functions.length) {
        item(new SplittableRandom(functionItems.get(i)), 1);
      }
      if ((f & 1) == 0) {
        code.word(iType(Opcode.JALR, 0, 0, Asm.RA, 0)); // jalr zero, 0(ra)
      } else {
        code.half(0x8082); // c.jr ra
      }
    }
    code.label(end);
  }

  /** The program at {@code origin}, ending with a jump to {@link DifferentialGuest#END}. */
  Asm assemble(long origin) {
    return code.assemble(origin).j(DifferentialGuest.END);
  }

  /** Sets every register's start value (the same for every hart). */
  static void setRegisters(LockstepHarts harts, SplittableRandom random) {
    for (int reg : SCRATCH) {
      harts.setX(reg, random.nextInt(3) == 0 ? random.nextLong()
          : INTERESTING[random.nextInt(INTERESTING.length)]);
    }
    harts.setX(SP, DifferentialGuest.DATA + 0x800);
    harts.setX(S0, DifferentialGuest.DATA + 0x1800 + (random.nextInt(5) == 0 ? 1 : 0));
    harts.setX(GP, FAULTY_BASES[random.nextInt(FAULTY_BASES.length)]);
    harts.setX(S1, FAULTY_BASES[random.nextInt(FAULTY_BASES.length)]);
    harts.setX(TP, Long.MIN_VALUE);
    harts.setX(T3, -1);
    harts.setX(T4, Integer.MIN_VALUE);
  }

  /**
   * One item; {@code depth} 2 may hold inner loops and calls, 1 forward branches, 0 only single
   * instructions.
   */
  private void item(SplittableRandom r, int depth) {
    int pick = r.nextInt(100);
    if (pick < 28) {
      code.word(computation(r));
    } else if (pick < 33) {
      code.word((r.nextBoolean() ? Opcode.LUI : Opcode.AUIPC) | rd(r) << 7 | r.nextInt() << 12);
    } else if (pick < 45) {
      code.half(compressed(r));
    } else if (pick < 58) {
      code.word(load(r));
    } else if (pick < 68) {
      code.word(store(r));
    } else if (pick < 74 && depth >= 1) {
      forwardBranch(r, depth - 1);
    } else if (pick < 78 && depth >= 2) {
      innerLoop(r);
    } else if (pick < 82 && depth >= 2 && functions.length > 0) {
      call(r);
    } else if (pick < 86) {
      code.word(csr(2, rd(r), COUNTERS[r.nextInt(COUNTERS.length)], 0)); // csrr
    } else if (pick < 88) {
      code.word(r.nextBoolean() ? 0x0FF0_000F : 0x0000_100F); // fence, fence.i
    } else if (pick < 92) {
      code.word(atomic(r));
    } else if (pick < 94) {
      switch (r.nextInt(3)) {
        case 0 -> code.word(0x0000_0073); // ecall
        case 1 -> code.word(0x0010_0073); // ebreak
        default -> code.half(0x9002); // c.ebreak
      }
    } else if (pick < 98) {
      reserved(r);
    } else {
      code.word(computation(r));
    }
  }

  private static int rd(SplittableRandom r) {
    return r.nextInt(25) == 0 ? 0 : SCRATCH[r.nextInt(SCRATCH.length)];
  }

  private static int anyRegister(SplittableRandom r) {
    return r.nextInt(32);
  }

  /** OP, OP-32, OP-IMM or OP-IMM-32; one in twenty with random funct fields (maybe reserved). */
  private static int computation(SplittableRandom r) {
    int rd = rd(r);
    int rs1 = anyRegister(r);
    int rs2 = anyRegister(r);
    boolean any = r.nextInt(20) == 0;
    int f3 = r.nextInt(8);
    return switch (r.nextInt(4)) {
      case 0 -> {
        int f7 = any ? r.nextInt(128) : new int[] {0, 1, 0x20}[r.nextInt(3)];
        if (f7 == 0x20 && !any) {
          f3 = r.nextBoolean() ? 0 : 5;
        }
        yield rType(Opcode.OP, rd, f3, rs1, rs2, f7);
      }
      case 1 -> {
        int[] combination = OP_32[r.nextInt(OP_32.length)];
        yield any ? rType(Opcode.OP_32, rd, f3, rs1, rs2, r.nextInt(128))
            : rType(Opcode.OP_32, rd, combination[1], rs1, rs2, combination[0]);
      }
      case 2 -> {
        int imm = immediate(r);
        if (!any && f3 == 1) {
          imm = r.nextInt(64);
        } else if (!any && f3 == 5) {
          imm = r.nextInt(64) | (r.nextBoolean() ? 0x400 : 0);
        }
        yield iType(Opcode.OP_IMM, rd, f3, rs1, imm);
      }
      default -> {
        int imm = immediate(r);
        if (!any) {
          f3 = new int[] {0, 1, 5}[r.nextInt(3)];
          if (f3 != 0) {
            imm = r.nextInt(32) | (f3 == 5 && r.nextBoolean() ? 0x400 : 0);
          }
        }
        yield iType(Opcode.OP_IMM_32, rd, f3, rs1, imm);
      }
    };
  }

  private static int immediate(SplittableRandom r) {
    return r.nextBoolean() ? r.nextInt(-16, 16) : r.nextInt(-2048, 2048);
  }

  /** An offset for an access of 2^{@code size} bytes: mostly aligned, mostly small. */
  private static int offset(SplittableRandom r, int size) {
    int offset = r.nextBoolean() ? r.nextInt(-64, 64) : r.nextInt(-2048, 2048);
    return r.nextInt(4) == 0 ? offset : offset & -(1 << size);
  }

  private static int load(SplittableRandom r) {
    int f3 = r.nextInt(50) == 0 ? 7 : r.nextInt(7);
    int base = r.nextInt(3) == 0 ? anyRegister(r) : BASES[r.nextInt(BASES.length)];
    return iType(Opcode.LOAD, rd(r), f3, base, offset(r, f3 & 3));
  }

  private static int store(SplittableRandom r) {
    int f3 = r.nextInt(50) == 0 ? 4 + r.nextInt(4) : r.nextInt(4);
    int imm = offset(r, f3 & 3);
    int base = BASES[r.nextInt(BASES.length)];
    return Opcode.STORE | (imm & 0x1F) << 7 | f3 << 12 | base << 15 | anyRegister(r) << 20
        | (imm >> 5) << 25;
  }

  /**
   * A random compressed instruction that blocks take and that keeps the register roles: a
   * computation, load or store (through sp, s0 or s1); C.NOP if none turns up.
   */
  private static int compressed(SplittableRandom r) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int half = r.nextInt(0x10000) & ~3 | r.nextInt(3);
      int insn = Rvc.expand(half);
      int rd = (insn >> 7) & 31;
      boolean writesScratch = rd == 0 || contains(SCRATCH, rd);
      boolean fits = switch (insn & 0x7F) {
        case Opcode.OP, Opcode.OP_32, Opcode.OP_IMM, Opcode.OP_IMM_32, Opcode.LUI, Opcode.LOAD ->
            writesScratch;
        case Opcode.STORE -> contains(BASES, (insn >> 15) & 31);
        default -> false;
      };
      if (insn != 0 && fits) {
        return half;
      }
    }
    return 0x0001; // c.nop
  }

  private static boolean contains(int[] registers, int reg) {
    for (int r : registers) {
      if (r == reg) {
        return true;
      }
    }
    return false;
  }

  /** LR, SC or an AMO, word or doubleword, through a base register. */
  private static int atomic(SplittableRandom r) {
    int funct5 = AMOS[r.nextInt(AMOS.length)];
    int rs2 = funct5 == 0x02 ? 0 : anyRegister(r);
    return rType(Opcode.AMO, rd(r), 2 + r.nextInt(2), BASES[r.nextInt(BASES.length)], rs2,
        funct5 << 2 | r.nextInt(4));
  }

  /** A reserved encoding, mostly of an opcode that blocks take. */
  private void reserved(SplittableRandom r) {
    int rd = rd(r);
    int rs1 = anyRegister(r);
    int rs2 = anyRegister(r);
    switch (r.nextInt(12)) {
      case 0 -> code.word(iType(Opcode.LOAD, rd, 7, rs1, r.nextInt(-2048, 2048)));
      case 1 -> code.word(rType(Opcode.STORE, 0, 4 + r.nextInt(4), BASES[r.nextInt(4)], rs2, 0));
      case 2 -> code.word(rType(Opcode.OP, rd, r.nextInt(8), rs1, rs2, 2 + r.nextInt(30)));
      case 3 -> code.word(rType(Opcode.OP, rd, new int[] {1, 2, 3, 4, 6, 7}[r.nextInt(6)], rs1,
          rs2, 0x20));
      case 4 -> code.word(rType(Opcode.OP_32, rd, new int[] {2, 3, 4, 6, 7}[r.nextInt(5)], rs1,
          rs2, 0));
      case 5 -> code.word(iType(Opcode.OP_IMM, rd, 1, rs1, (1 + r.nextInt(63)) << 6 | r.nextInt(64)));
      case 6 -> code.word(iType(Opcode.OP_IMM_32, rd, new int[] {2, 3, 4, 6, 7}[r.nextInt(5)],
          rs1, r.nextInt(-2048, 2048)));
      case 7 -> code.word(iType(Opcode.OP_IMM_32, rd, 5, rs1, 0x200 | r.nextInt(32)));
      case 8 -> code.word(rType(Opcode.BRANCH, 8, 2 + r.nextInt(2), rs1, rs2, 0)); // +8
      case 9 -> code.word(iType(Opcode.JALR, rd, 1 + r.nextInt(7), rs1, 0));
      case 10 -> code.half(0x0000); // the all-zero halfword
      default -> code.word(iType(0x07, 0, 3, rs1, 0)); // fld with mstatus.FS off
    }
  }

  private void forwardBranch(SplittableRandom r, int depth) {
    int skip = code.newLabel();
    if (r.nextInt(3) == 0) {
      code.compressedBranch(r.nextBoolean(), 8 + r.nextInt(8), skip);
    } else {
      int f3 = r.nextInt(40) == 0 ? 2 + r.nextInt(2) : BRANCHES[r.nextInt(BRANCHES.length)];
      code.branch(f3, anyRegister(r), anyRegister(r), skip);
    }
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      item(r, depth);
    }
    code.label(skip);
  }

  private void innerLoop(SplittableRandom r) {
    int top = code.newLabel();
    code.word(addi(S10, 0, 1 + r.nextInt(8)));
    code.label(top);
    for (int i = 1 + r.nextInt(6); i > 0; i--) {
      item(r, 1);
    }
    code.word(addi(S10, S10, -1));
    code.branch(1, S10, 0, top);
  }

  /**
   * JAL ra, or a call through a register: a scratch register or ra itself (GNU as's {@code call}:
   * AUIPC ra and JALR ra, lo(ra), where JALR reads the register it links).
   */
  private void call(SplittableRandom r) {
    int function = functions[r.nextInt(functions.length)];
    int temp = r.nextBoolean() ? Asm.RA : SCRATCH[r.nextInt(SCRATCH.length)];
    switch (r.nextInt(3)) {
      case 0 -> code.farCall(false, temp, function);
      case 1 -> code.farCall(true, temp, function);
      default -> code.jal(Asm.RA, function);
    }
  }

  // ---- encodings (Unpriv 2.2) ----

  static int rType(int opcode, int rd, int f3, int rs1, int rs2, int f7) {
    return opcode | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25;
  }

  static int iType(int opcode, int rd, int f3, int rs1, int imm) {
    return opcode | rd << 7 | f3 << 12 | rs1 << 15 | imm << 20;
  }

  private static int addi(int rd, int rs1, int imm) {
    return iType(Opcode.OP_IMM, rd, 0, rs1, imm);
  }

  private static int csr(int f3, int rd, int csr, int rs1) {
    return Opcode.SYSTEM | rd << 7 | f3 << 12 | rs1 << 15 | csr << 20;
  }
}
