package dev.ovm.cpu;

/**
 * Decodes and executes the F and D extensions for RV64 (Unpriv spec chapters 20 and 21): the FP
 * loads and stores, OP-FP and the four fused multiply-add opcodes.
 *
 * <p>State: f0..f31 are 64-bit ({@link HartState#f}); a single-precision value is NaN-boxed, its
 * upper 32 bits all ones (Unpriv 21.2). A single-precision operand read from a register that is
 * not properly boxed is the canonical NaN. FMV.X.W and FSW look at bits 31:0 only, without the
 * check.
 *
 * <p>Priv 3.1.6.6: every F/D instruction (and access to fflags/frm/fcsr, see {@link CsrFile}) is
 * illegal while mstatus.FS is Off; an instruction that writes an f register or fcsr sets FS to
 * Dirty (and SD). Illegal-instruction tval is the instruction bits (16 for a compressed one).
 *
 * <p>Rounding mode (Unpriv 20.2): rm = 7 takes frm; the reserved rm values 5 and 6, and DYN while
 * frm holds 5, 6 or 7, are illegal. Instructions whose funct3 is an rm field check it even when
 * the operation is exact (e.g. FCVT.D.W).
 *
 * <p>Under RNE, FADD/FSUB/FMUL/FDIV/FSQRT take {@link FloatFastPath} (the host's arithmetic, no
 * allocation), which defers to the exact path whenever a flag other than NX could arise. The exact
 * path and the FMAs and conversions allocate small BigIntegers (see {@link FloatArithmetic}); this
 * class is only reached from the interpreter's cold path, so the integer hot loop stays
 * allocation-free.
 */
final class Fpu {
  static final int MADD = 0x43;
  static final int MSUB = 0x47;
  static final int NMSUB = 0x4B;
  static final int NMADD = 0x4F;
  static final int OP_FP = 0x53;

  private static final long BOX = 0xFFFF_FFFF_0000_0000L;

  private final HartState s;
  private final MemoryAccess memory;
  private final FloatFlags flags = new FloatFlags();

  Fpu(HartState state, MemoryAccess memory) {
    this.s = state;
    this.memory = memory;
  }

  /** Executes one F/D instruction with major opcode {@code insn & 0x7F}; returns the next pc. */
  long execute(int insn, long pc, int length) {
    if ((s.mstatus & Mstatus.FS) == 0) {
      throw illegal(insn, pc, length); // Priv 3.1.6.6: FS = Off
    }
    flags.clear();
    switch (insn & 0x7F) {
      case Opcode.LOAD_FP -> load(insn, pc, length);
      case Opcode.STORE_FP -> store(insn, pc, length);
      case OP_FP -> operate(insn, pc, length);
      default -> fusedMultiplyAdd(insn, pc, length);
    }
    if (flags.raised != 0) {
      s.fflags |= flags.raised;
      markDirty();
    }
    return pc + length;
  }

  // ---- loads and stores (Unpriv 20.5, 21.3) ----

  private void load(int insn, long pc, int length) {
    long address = s.reg(rs1(insn)) + (insn >> 20);
    switch ((insn >> 12) & 7) {
      case 2 -> writeSingle(rd(insn), memory.load(address, 6)); // FLW: the word, zero-extended (LWU)
      case 3 -> writeDouble(rd(insn), memory.load(address, 3)); // FLD
      default -> throw illegal(insn, pc, length);
    }
  }

  private void store(int insn, long pc, int length) {
    long address = s.reg(rs1(insn)) + ((insn >> 25) << 5 | (insn >> 7) & 0x1F);
    long value = register(rs2(insn));
    switch ((insn >> 12) & 7) {
      case 2 -> memory.store(address, 2, value); // FSW: bits 31:0, boxed or not
      case 3 -> memory.store(address, 3, value); // FSD
      default -> throw illegal(insn, pc, length);
    }
  }

  // ---- OP-FP (Unpriv 20.6–20.9, 21.4–21.6) ----

  private void operate(int insn, long pc, int length) {
    FloatFormat f = format(insn, pc, length);
    int funct3 = (insn >> 12) & 7;
    int rs2 = rs2(insn);
    long a = read(f, rs1(insn));
    long b = read(f, rs2);
    switch ((insn >> 27) & 0x1F) {
      case 0x00 -> write(f, rd(insn), add(f, a, b, rm(insn, pc, length)));
      case 0x01 -> write(f, rd(insn), add(f, a, b ^ f.signBit, rm(insn, pc, length)));
      case 0x02 -> {
        int rm = rm(insn, pc, length);
        write(f, rd(insn), rm == Rounding.RNE ? FloatFastPath.multiply(f, a, b, flags)
            : FloatArithmetic.multiply(f, a, b, rm, flags));
      }
      case 0x03 -> {
        int rm = rm(insn, pc, length);
        write(f, rd(insn), rm == Rounding.RNE ? FloatFastPath.divide(f, a, b, flags)
            : FloatArithmetic.divide(f, a, b, rm, flags));
      }
      case 0x0B -> {
        requireZero(rs2, insn, pc, length);
        int rm = rm(insn, pc, length);
        write(f, rd(insn), rm == Rounding.RNE ? FloatFastPath.squareRoot(f, a, flags)
            : FloatArithmetic.squareRoot(f, a, rm, flags));
      }
      case 0x04 -> {
        requireAtMost(funct3, 2, insn, pc, length);
        write(f, rd(insn), FloatCompare.injectSign(f, a, b, funct3));
      }
      case 0x05 -> {
        requireAtMost(funct3, 1, insn, pc, length);
        write(f, rd(insn), FloatCompare.minMax(f, a, b, funct3 == 1, flags));
      }
      case 0x08 -> convertFormat(f, insn, pc, length);
      case 0x14 -> s.setReg(rd(insn), switch (funct3) {
        case 2 -> FloatCompare.equal(f, a, b, flags) ? 1 : 0; // FEQ
        case 1 -> FloatCompare.less(f, a, b, false, flags) ? 1 : 0; // FLT
        case 0 -> FloatCompare.less(f, a, b, true, flags) ? 1 : 0; // FLE
        default -> throw illegal(insn, pc, length);
      });
      case 0x18 -> { // FCVT.{W,WU,L,LU}.fmt
        requireAtMost(rs2, FloatConvert.LU, insn, pc, length);
        int rm = rm(insn, pc, length);
        s.setReg(rd(insn), FloatConvert.toInteger(f, a, rs2, rm, flags));
      }
      case 0x1A -> { // FCVT.fmt.{W,WU,L,LU}
        requireAtMost(rs2, FloatConvert.LU, insn, pc, length);
        int rm = rm(insn, pc, length);
        write(f, rd(insn), FloatConvert.fromInteger(f, s.reg(rs1(insn)), rs2, rm, flags));
      }
      case 0x1C -> moveOrClassify(f, insn, pc, length);
      case 0x1E -> { // FMV.W.X, FMV.D.X: the bits, unchanged
        requireZero(rs2 | funct3, insn, pc, length);
        long x = s.reg(rs1(insn));
        write(f, rd(insn), f == FloatFormat.SINGLE ? x & 0xFFFF_FFFFL : x);
      }
      default -> throw illegal(insn, pc, length);
    }
  }

  /** FADD (and FSUB with b's sign flipped): the host's arithmetic under RNE, else exact. */
  private long add(FloatFormat f, long a, long b, int rm) {
    return rm == Rounding.RNE ? FloatFastPath.add(f, a, b, flags)
        : FloatArithmetic.add(f, a, b, rm, flags);
  }

  /** FCVT.S.D (fmt S, rs2 = 1) and FCVT.D.S (fmt D, rs2 = 0). */
  private void convertFormat(FloatFormat to, int insn, long pc, int length) {
    FloatFormat from = to == FloatFormat.SINGLE ? FloatFormat.DOUBLE : FloatFormat.SINGLE;
    if (rs2(insn) != from.ordinal()) {
      throw illegal(insn, pc, length);
    }
    int rm = rm(insn, pc, length);
    write(to, rd(insn), FloatConvert.toFormat(from, to, read(from, rs1(insn)), rm, flags));
  }

  /** FMV.X.W / FMV.X.D (funct3 0) and FCLASS (funct3 1). */
  private void moveOrClassify(FloatFormat f, int insn, long pc, int length) {
    requireZero(rs2(insn), insn, pc, length);
    long value = switch ((insn >> 12) & 7) {
      // FMV.X.W: bits 31:0 of the register, sign-extended, whether boxed or not
      case 0 -> f == FloatFormat.SINGLE ? (long) (int) register(rs1(insn)) : register(rs1(insn));
      case 1 -> FloatCompare.classify(f, read(f, rs1(insn)));
      default -> throw illegal(insn, pc, length);
    };
    s.setReg(rd(insn), value);
  }

  // ---- FMADD, FMSUB, FNMSUB, FNMADD (R4-type, Unpriv 20.6) ----

  private void fusedMultiplyAdd(int insn, long pc, int length) {
    FloatFormat f = format(insn, pc, length);
    int rm = rm(insn, pc, length);
    int opcode = insn & 0x7F;
    boolean negateProduct = opcode == NMSUB || opcode == NMADD;
    boolean negateAddend = opcode == MSUB || opcode == NMADD;
    long result = FloatArithmetic.fusedMultiplyAdd(f, read(f, rs1(insn)), read(f, rs2(insn)),
        read(f, (insn >> 27) & 0x1F), negateProduct, negateAddend, rm, flags);
    write(f, rd(insn), result);
  }

  // ---- operands, results and fields ----

  /** The fmt field (bits 26:25): S or D; H and Q are not implemented. */
  private FloatFormat format(int insn, long pc, int length) {
    return switch ((insn >> 25) & 3) {
      case 0 -> FloatFormat.SINGLE;
      case 1 -> FloatFormat.DOUBLE;
      default -> throw illegal(insn, pc, length);
    };
  }

  /** The effective rounding mode of the rm field (Unpriv 20.2). */
  private int rm(int insn, long pc, int length) {
    int rm = (insn >> 12) & 7;
    if (rm == Rounding.DYN) {
      rm = s.frm;
    }
    if (!Rounding.isValid(rm)) {
      throw illegal(insn, pc, length);
    }
    return rm;
  }

  @SuppressWarnings("index") // f has 32 entries; reg is a 5-bit instruction field
  private long register(int reg) {
    return s.f[reg];
  }

  /** An operand of format {@code f}: single precision is unboxed (Unpriv 21.2). */
  private long read(FloatFormat f, int reg) {
    long bits = register(reg);
    if (f == FloatFormat.DOUBLE) {
      return bits;
    }
    return (bits & BOX) == BOX ? bits & 0xFFFF_FFFFL : FloatFormat.SINGLE.canonicalNaN;
  }

  private void write(FloatFormat f, int reg, long bits) {
    if (f == FloatFormat.SINGLE) {
      writeSingle(reg, bits);
    } else {
      writeDouble(reg, bits);
    }
  }

  private void writeSingle(int reg, long bits) {
    writeDouble(reg, BOX | bits);
  }

  @SuppressWarnings("index") // as register()
  private void writeDouble(int reg, long bits) {
    s.f[reg] = bits;
    markDirty();
  }

  /** Priv 3.1.6.6: FS = Dirty, and SD summarises it. */
  private void markDirty() {
    s.mstatus |= Mstatus.FS | Mstatus.SD;
  }

  private void requireZero(int field, int insn, long pc, int length) {
    if (field != 0) {
      throw illegal(insn, pc, length);
    }
  }

  private void requireAtMost(int field, int maximum, int insn, long pc, int length) {
    if (field > maximum) {
      throw illegal(insn, pc, length);
    }
  }

  private static int rd(int insn) {
    return (insn >> 7) & 31;
  }

  private static int rs1(int insn) {
    return (insn >> 15) & 31;
  }

  private static int rs2(int insn) {
    return (insn >> 20) & 31;
  }

  /** Illegal instruction; tval holds the instruction as fetched (16 bits if compressed). */
  private TrapSignal illegal(int insn, long pc, int length) {
    long bits = length == 2 ? memory.fetch(pc) & 0xFFFFL : insn & 0xFFFF_FFFFL;
    return s.raise(Cause.ILLEGAL_INSTRUCTION, bits);
  }
}
