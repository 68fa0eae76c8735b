package dev.ovm.cpu;

import dev.ovm.memory.GuestRam;
import dev.ovm.memory.mmu.Mmu;
import java.lang.invoke.VarHandle;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Decodes and executes RV64IMAFDC instructions (Unpriv spec chapters 2, 5, 13, 14, 16; Zicsr,
 * Zifencei; F and D through {@link Fpu}) and the privileged instructions (Priv 3.3, 4.2.1).
 *
 * <p>Execution model: {@link #runChunk} executes until {@link HartState#retired} reaches
 * {@link #chunkEnd}. Each opcode handler returns the next pc; an exception unwinds with
 * {@link TrapSignal} before the pc or any register changes, so pc still names the faulting
 * instruction. Instructions that may enable an interrupt or change how the hart runs (CSR
 * writes, MRET, SRET, WFI) set {@link #chunkEnd} to 0 so the run loop looks at interrupts right
 * after them. Nothing here allocates.
 *
 * <p>Compressed instructions are expanded to their 32-bit forms by {@link Rvc}; the length (2 or
 * 4) is passed along for the link value of JAL/JALR and the next pc. With C present IALIGN=16, so
 * no jump or branch can raise instruction-address-misaligned.
 */
final class Interpreter {
  private static final long WORD_MASK = 0xFFFF_FFFFL;

  private final HartState s;
  private final MemoryAccess memory;
  private final CsrFile csrs;
  private final Traps traps;
  private final Mmu mmu;
  private final GuestRam ram;
  private final Fpu fpu;

  /** The run loop's stop mark: execution stops once {@code s.retired >= chunkEnd}. */
  long chunkEnd;
  /** Set by WFI: the run loop decides whether to return {@code VcpuExit.WFI}. */
  boolean waitingForInterrupt;

  Interpreter(HartState state, MemoryAccess memory, CsrFile csrs, Traps traps, Mmu mmu, GuestRam ram,
      Fpu fpu) {
    this.fpu = fpu;
    this.s = state;
    this.memory = memory;
    this.csrs = csrs;
    this.traps = traps;
    this.mmu = mmu;
    this.ram = ram;
  }


  /**
   * Executes instructions until {@link #chunkEnd}; throws {@link TrapSignal} on an exception,
   * with {@code s.pc} naming the instruction that raised it and {@code s.retired} counting only
   * the instructions before it.
   *
   * <p>Without a {@link BlockCache} every instruction is interpreted. With one, each block start
   * (a jump or branch target, or the instruction after a branch or a system instruction) is looked
   * up by its machine offset: a translated block that fits in what is left of the chunk runs as
   * JVM code; otherwise the interpreter executes one block's worth and looks again. A block that
   * would cross the chunk's end is never run, so a chunk ends on exactly the same instruction with
   * or without translation, and so do interrupts, which are taken only between chunks.
   */
  void runChunk() {
    BlockCache cache = blocks;
    if (cache == null) {
      interpret(false);
      return;
    }
    final HartState state = s;
    while (state.retired < chunkEnd) {
      long pc = state.pc;
      long offset = memory.fetchOffset(pc);
      if (offset >= 0) {
        TranslatedBlock block = cache.find(offset, pc);
        if (block != null && block.instructions <= chunkEnd - state.retired) {
          long next;
          try {
            next = block.code.run(state, state.x, memory, pc);
          } catch (TrapSignal signal) {
            int step = state.blockStep;
            state.pc = pc + block.pcOffset(step);
            state.retired += step;
            throw signal;
          }
          state.pc = next;
          state.retired += state.blockStep; // how many retired before the exit it took
          cache.blockInstructions += state.blockStep;
          continue;
        }
      }
      interpret(true);
    }
  }

  /** The translated-block cache, or null to interpret everything; see {@link #runChunk}. */
  @Nullable BlockCache blocks;

  /**
   * Interprets instructions until {@link #chunkEnd} or, if {@code oneBlock}, until the end of a
   * block (after a branch, jump or system instruction); throws {@link TrapSignal} on an exception.
   *
   * <p>This is the hot loop: the RV64I and common M instructions are executed here, dispatched by
   * opcode and then by funct3 in small helpers (opImm, opBase, taken, ...); everything else goes
   * to {@link #execute}. The pc and the retired count live in locals and are written back (in the
   * finally block) on every way out, so after an exception {@code s.pc} still names the faulting
   * instruction, which did not retire. Register numbers are 5-bit fields, always inside the
   * 32-entry register array.
   *
   * <p>Shape matters for speed (measured with guests/bin/bench.elf, docs/BENCHMARKS.md): a single
   * switch keyed by opcode and funct3, with every load and store kind inlined, made the compiled
   * loop too big for real code (95 MIPS); two levels with one load and one store entry point
   * reach ~143, and ~155 with the launcher's hint to keep those two out of line.
   */
  @SuppressWarnings("index") // x has 32 entries; every index is a 5-bit instruction field
  private void interpret(boolean oneBlock) {
    final HartState state = s;
    final long[] x = state.x;
    final MemoryAccess mem = memory;
    long pc = state.pc;
    long retired = state.retired;
    long end = chunkEnd;
    try {
      while (retired < end) {
        int insn = mem.fetch(pc);
        int length = 4;
        if ((insn & 3) != 3) {
          int expanded = Rvc.expand(insn);
          if (expanded == 0) {
            throw state.raise(Cause.ILLEGAL_INSTRUCTION, insn & 0xFFFF);
          }
          insn = expanded;
          length = 2;
        }
        int rd = (insn >> 7) & 31;
        long a = x[(insn >> 15) & 31];
        long next = pc + length;
        long value;
        switch (insn & 0x7F) {
          case Opcode.OP_IMM -> value = opImm(insn, a);
          case Opcode.LOAD -> {
            if ((insn & 0x7000) == 0x7000) {
              throw illegal(insn);
            }
            value = mem.load(a + (insn >> 20), (insn >> 12) & 7);
          }
          case Opcode.STORE -> {
            if ((insn & 0x4000) != 0) {
              throw illegal(insn);
            }
            mem.store(a + immS(insn), (insn >> 12) & 3, x[(insn >> 20) & 31]);
            rd = 0;
            value = 0;
          }
          case Opcode.BRANCH -> {
            if (taken(insn, a, x[(insn >> 20) & 31])) {
              next = pc + immB(insn);
            }
            rd = 0;
            value = 0;
            if (oneBlock) {
              end = retired + 1;
            }
          }
          case Opcode.JAL -> {
            value = next;
            next = pc + immJ(insn);
            if (oneBlock) {
              end = retired + 1;
            }
          }
          case Opcode.JALR -> {
            if ((insn & 0x7000) != 0) {
              throw illegal(insn);
            }
            value = next;
            next = (a + (insn >> 20)) & ~1L;
            if (oneBlock) {
              end = retired + 1;
            }
          }
          case Opcode.LUI -> value = insn & 0xFFFF_F000;
          case Opcode.AUIPC -> value = pc + (insn & 0xFFFF_F000);
          case Opcode.OP -> {
            long b = x[(insn >> 20) & 31];
            int funct7 = (insn >> 25) & 0x7F;
            if (funct7 == 0) {
              value = opBase(insn, a, b);
            } else if (funct7 == 0x20 && (insn & 0x7000) == 0) {
              value = a - b; // SUB
            } else {
              state.pc = pc;
              value = op(insn);
            }
          }
          case Opcode.OP_IMM_32 -> value = opImm32(insn, a);
          case Opcode.OP_32 -> {
            long b = x[(insn >> 20) & 31];
            int funct7f3 = (insn >> 25) << 3 | (insn >> 12) & 7;
            if (funct7f3 == 0) {
              value = (int) a + (int) b; // ADDW
            } else if (funct7f3 == 0x20 << 3) {
              value = (int) a - (int) b; // SUBW
            } else if (funct7f3 == 1 << 3) {
              value = (int) a * (int) b; // MULW
            } else {
              value = op32(insn);
            }
          }
          default -> {
            state.pc = pc;
            state.retired = retired; // CSR reads of minstret/mcycle see the exact count
            next = execute(insn, pc, length);
            end = chunkEnd; // CSR writes, xRET and WFI end the chunk early
            if (oneBlock && end > retired + 1) {
              end = retired + 1;
            }
            rd = 0;
            value = 0;
          }
        }
        if (rd != 0) {
          x[rd] = value;
        }
        pc = next;
        retired++;
      }
    } finally {
      state.pc = pc;
      state.retired = retired;
    }
  }

  /** OP-IMM (Unpriv 2.4.1, 5.2): ADDI, SLTI, SLTIU, XORI, ORI, ANDI, SLLI, SRLI, SRAI. */
  private long opImm(int insn, long a) {
    long imm = insn >> 20;
    return switch ((insn >> 12) & 7) {
      case 0 -> a + imm; // ADDI
      case 1 -> {
        if (((insn >> 26) & 0x3F) != 0) {
          throw illegal(insn);
        }
        yield a << imm; // SLLI: Java uses the low 6 bits, the shamt
      }
      case 2 -> a < imm ? 1 : 0; // SLTI
      case 3 -> Alu.lessUnsigned(a, imm) ? 1 : 0; // SLTIU
      case 4 -> a ^ imm; // XORI
      case 5 -> switch ((insn >> 26) & 0x3F) {
        case 0 -> Alu.srl(a, imm); // SRLI
        case 0x10 -> a >> imm; // SRAI
        default -> throw illegal(insn);
      };
      case 6 -> a | imm; // ORI
      default -> a & imm; // ANDI
    };
  }

  /** OP-IMM-32 (Unpriv 5.2): ADDIW, SLLIW, SRLIW, SRAIW. */
  private long opImm32(int insn, long a) {
    return switch ((insn >> 12) & 7) {
      case 0 -> (int) a + (insn >> 20); // ADDIW
      case 1 -> {
        if (((insn >> 25) & 0x7F) != 0) {
          throw illegal(insn);
        }
        yield (int) a << (insn >> 20); // SLLIW: Java uses the low 5 bits
      }
      case 5 -> switch ((insn >> 25) & 0x7F) {
        case 0 -> Alu.srlw((int) a, insn >> 20); // SRLIW
        case 0x20 -> (int) a >> (insn >> 20); // SRAIW
        default -> throw illegal(insn);
      };
      default -> throw illegal(insn);
    };
  }

  /** OP with funct7 = 0 (Unpriv 2.4.2): ADD, SLL, SLT, SLTU, XOR, SRL, OR, AND. */
  private static long opBase(int insn, long a, long b) {
    return switch ((insn >> 12) & 7) {
      case 0 -> a + b; // ADD
      case 1 -> a << b; // SLL (Java masks the amount to 6 bits, as RV64 does)
      case 2 -> a < b ? 1 : 0; // SLT
      case 3 -> Alu.lessUnsigned(a, b) ? 1 : 0; // SLTU
      case 4 -> a ^ b; // XOR
      case 5 -> Alu.srl(a, b); // SRL
      case 6 -> a | b; // OR
      default -> a & b; // AND
    };
  }

  /** BRANCH (Unpriv 2.5.2): whether the branch is taken; funct3 2 and 3 are reserved. */
  private boolean taken(int insn, long a, long b) {
    return switch ((insn >> 12) & 7) {
      case 0 -> a == b; // BEQ
      case 1 -> a != b; // BNE
      case 4 -> a < b; // BLT
      case 5 -> a >= b; // BGE
      case 6 -> Alu.lessUnsigned(a, b); // BLTU
      case 7 -> !Alu.lessUnsigned(a, b); // BGEU
      default -> throw illegal(insn);
    };
  }

  /**
   * The instructions the hot loop does not execute itself; returns the next pc. Reserved
   * encodings of the hot opcodes (e.g. LOAD with funct3 7) arrive here too and are illegal.
   */
  private long execute(int insn, long pc, int length) {
    return switch (insn & 0x7F) {
      case Opcode.AMO -> atomic(insn, pc + length);
      case Opcode.MISC_MEM -> miscMem(insn, pc + length);
      case Opcode.SYSTEM -> system(insn, pc, length);
      case Opcode.LOAD_FP, Opcode.STORE_FP, Fpu.OP_FP, Fpu.MADD, Fpu.MSUB, Fpu.NMSUB, Fpu.NMADD ->
          fpu.execute(insn, pc, length); // F and D (Unpriv 20, 21)
      default -> throw illegal(insn);
    };
  }

  // ---- field extraction (Unpriv 2.2, 2.3) ----

  private static int rd(int insn) {
    return (insn >> 7) & 31;
  }

  private static int rs1(int insn) {
    return (insn >> 15) & 31;
  }

  private static int rs2(int insn) {
    return (insn >> 20) & 31;
  }

  private static int funct3(int insn) {
    return (insn >> 12) & 7;
  }

  private static int funct7(int insn) {
    return (insn >> 25) & 0x7F;
  }

  private static long immI(int insn) {
    return insn >> 20;
  }

  private static long immS(int insn) {
    return (insn >> 25) << 5 | (insn >> 7) & 0x1F;
  }

  static long immB(int insn) {
    return (insn >> 31) << 12 | ((insn >> 7) & 1) << 11 | ((insn >> 25) & 0x3F) << 5
        | ((insn >> 8) & 0xF) << 1;
  }

  static long immJ(int insn) {
    return (insn >> 31) << 20 | ((insn >> 12) & 0xFF) << 12 | ((insn >> 20) & 1) << 11
        | ((insn >> 21) & 0x3FF) << 1;
  }

  private TrapSignal illegal(int insn) {
    return s.raise(Cause.ILLEGAL_INSTRUCTION, insn & WORD_MASK);
  }

  // ---- RV64I integer computation (Unpriv 2.4, 5.2) ----

  /** OP with funct7 != 0 except SUB: SRA and the M extension. */
  private long op(int insn) {
    long a = s.reg(rs1(insn));
    long b = s.reg(rs2(insn));
    return switch (funct7(insn)) {
      case 0x20 -> {
        if (funct3(insn) != 5) {
          throw illegal(insn);
        }
        yield a >> b; // SRA
      }
      case 1 -> multiplyDivide(funct3(insn), a, b);
      default -> throw illegal(insn);
    };
  }

  /** The M extension, 64-bit forms (Unpriv 13.1, 13.2). */
  private static long multiplyDivide(int funct3, long a, long b) {
    return switch (funct3) {
      case 0 -> a * b; // MUL
      case 1 -> Math.multiplyHigh(a, b); // MULH
      case 2 -> Alu.mulhsu(a, b); // MULHSU
      case 3 -> Alu.mulhu(a, b); // MULHU
      case 4 -> Alu.div(a, b); // DIV
      case 5 -> Alu.divu(a, b); // DIVU
      case 6 -> Alu.rem(a, b); // REM
      default -> Alu.remu(a, b); // REMU
    };
  }

  /** OP-32 except ADDW, SUBW and MULW (which the hot loop executes): shifts, divisions. */
  private long op32(int insn) {
    long a = s.reg(rs1(insn));
    long b = s.reg(rs2(insn));
    int f3 = funct3(insn);
    return switch (funct7(insn)) {
      case 0 -> switch (f3) {
        case 1 -> (int) a << (b & 31); // SLLW
        case 5 -> Alu.srlw((int) a, b & 31); // SRLW
        default -> throw illegal(insn);
      };
      case 0x20 -> {
        if (f3 != 5) {
          throw illegal(insn);
        }
        yield (int) a >> (b & 31); // SRAW
      }
      case 1 -> switch (f3) {
        case 4 -> Alu.divw(a, b); // DIVW
        case 5 -> Alu.divuw(a, b); // DIVUW
        case 6 -> Alu.remw(a, b); // REMW
        case 7 -> Alu.remuw(a, b); // REMUW
        default -> throw illegal(insn);
      };
      default -> throw illegal(insn);
    };
  }

  // ---- the A extension (Unpriv 14) ----

  private long atomic(int insn, long next) {
    int f3 = funct3(insn);
    if (f3 != 2 && f3 != 3) {
      throw illegal(insn);
    }
    boolean word = f3 == 2;
    int width = word ? 4 : 8;
    // aq/rl (bits 26:25) need nothing more: the CAS and volatile accesses below already order
    // the surrounding plain accesses both ways, which is at least what .aqrl asks (Unpriv 14.4)
    int funct5 = (insn >> 27) & 0x1F;
    long address = s.reg(rs1(insn));
    long src = s.reg(rs2(insn));
    long result;
    if (funct5 == Alu.LR) {
      if (rs2(insn) != 0) {
        throw illegal(insn);
      }
      long offset = memory.lrOffset(address, width);
      result = word ? ram.loadAtomic32(offset) : ram.loadAtomic64(offset);
      s.reservationAddress = offset;
      s.reservationValue = result;
    } else if (funct5 == Alu.SC) {
      result = storeConditional(memory.amoOffset(address, width), src, word);
    } else if (Alu.isAmo(funct5)) {
      result = readModifyWrite(memory.amoOffset(address, width), funct5, src, word);
    } else {
      throw illegal(insn);
    }
    s.setReg(rd(insn), result);
    return next;
  }

  /**
   * SC (Unpriv 14.2): succeeds (0) if this hart holds a reservation on the address and memory
   * still holds the value LR read, compared-and-swapped atomically; otherwise fails (1). Either
   * way the reservation is dropped. A store by another hart that writes a different value breaks
   * the reservation; one that writes the same value back is not seen (as in QEMU).
   */
  private long storeConditional(long offset, long src, boolean word) {
    boolean reserved = s.reservationAddress == offset;
    long expected = s.reservationValue;
    s.reservationAddress = -1;
    if (!reserved) {
      return 1;
    }
    boolean stored = word
        ? ram.cas32(offset, (int) expected, (int) src) == (int) expected
        : ram.cas64(offset, expected, src) == expected;
    return stored ? 0 : 1;
  }

  /** AMO*.W/D: atomic read-modify-write; rd gets the old value, sign-extended for .W. */
  private long readModifyWrite(long offset, int funct5, long src, boolean word) {
    if (word) {
      int old;
      do {
        old = ram.loadAtomic32(offset);
      } while (ram.cas32(offset, old, (int) Alu.amo(funct5, old, (int) src, true)) != old);
      return old;
    }
    long old;
    do {
      old = ram.loadAtomic64(offset);
    } while (ram.cas64(offset, old, Alu.amo(funct5, old, src, false)) != old);
    return old;
  }

  // ---- MISC-MEM (Unpriv 2.7, Zifencei) ----

  private long miscMem(int insn, long next) {
    switch (funct3(insn)) {
      case 0 -> VarHandle.fullFence(); // FENCE: other harts run on other host threads
      case 1 -> {
        // FENCE.I: fetches read RAM directly, so stores are always visible to them; translated
        // blocks must check that their code is unchanged (Zifencei)
        BlockCache cache = blocks;
        if (cache != null) {
          cache.fenceInstructions();
        }
      }
      default -> throw illegal(insn);
    }
    return next;
  }

  // ---- SYSTEM: Zicsr and the privileged instructions ----

  private long system(int insn, long pc, int length) {
    int f3 = funct3(insn);
    if (f3 == 0) {
      return privileged(insn, pc, length);
    }
    if (f3 == 4) {
      throw illegal(insn);
    }
    int csr = (insn >> 20) & 0xFFF;
    int source = rs1(insn);
    long operand = f3 >= 5 ? source : s.reg(source); // CSRR*I use the 5-bit zero-extended uimm
    int kind = f3 & 3; // 1 = write, 2 = set, 3 = clear
    boolean writes = kind == 1 || source != 0; // Zicsr: CSRRS/CSRRC with x0/uimm 0 do not write
    long old = csrs.read(csr, writes, insn);
    if (writes) {
      long base = csrs.modifySource(csr, old);
      long value = switch (kind) {
        case 1 -> operand;
        case 2 -> base | operand;
        default -> base & ~operand;
      };
      csrs.write(csr, value);
      chunkEnd = 0;
    }
    s.setReg(rd(insn), old);
    return pc + length;
  }

  private static final int ECALL = 0x0000_0073;
  private static final int SRET = 0x1020_0073;
  private static final int MRET = 0x3020_0073;
  private static final int WFI = 0x1050_0073;
  private static final int SFENCE_VMA_MASK = 0xFE00_7FFF;
  private static final int SFENCE_VMA = 0x1200_0073;

  private long privileged(int insn, long pc, int length) {
    int priv = s.priv;
    switch (insn) {
      case ECALL -> throw s.raise(Cause.ECALL_FROM_U + priv, 0); // 8, 9, 11 for U, S, M
      case Opcode.EBREAK -> throw s.raise(Cause.BREAKPOINT, pc);
      case MRET -> {
        if (priv < Privilege.M) {
          throw illegal(insn);
        }
        traps.mret();
        chunkEnd = 0;
        return s.pc;
      }
      case SRET -> {
        if (priv < Privilege.S || (priv == Privilege.S && (s.mstatus & Mstatus.TSR) != 0)) {
          throw illegal(insn); // Priv 3.1.6.5: TSR traps SRET in S-mode
        }
        traps.sret();
        chunkEnd = 0;
        return s.pc;
      }
      case WFI -> {
        // Priv 3.1.6.5: illegal in U-mode, and below M when TW=1
        if (priv == Privilege.U || (priv < Privilege.M && (s.mstatus & Mstatus.TW) != 0)) {
          throw illegal(insn);
        }
        waitingForInterrupt = true;
        chunkEnd = 0;
        return pc + length;
      }
      default -> {
        if ((insn & SFENCE_VMA_MASK) == SFENCE_VMA) {
          return sfenceVma(insn, pc + length);
        }
        throw illegal(insn);
      }
    }
  }

  /** SFENCE.VMA (Priv 4.2.1): illegal in U-mode, and in S-mode when mstatus.TVM=1. */
  private long sfenceVma(int insn, long next) {
    if (s.priv == Privilege.U || (s.priv == Privilege.S && (s.mstatus & Mstatus.TVM) != 0)) {
      throw illegal(insn);
    }
    int addressRegister = rs1(insn);
    int asidRegister = rs2(insn);
    mmu.sfence(addressRegister == 0, s.reg(addressRegister),
        asidRegister == 0, (int) (s.reg(asidRegister) & 0xFFFF));
    memory.forgetFetchPage();
    return next;
  }
}
