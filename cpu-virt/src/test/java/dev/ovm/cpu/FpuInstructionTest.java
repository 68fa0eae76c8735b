package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static dev.ovm.cpu.CsrAddress.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The F and D instructions as the hart executes them: mstatus.FS (Off traps, dirty tracking,
 * SD), NaN boxing, fcsr/frm/fflags and the rounding-mode field, loads and stores (compressed
 * too), moves, conversions and flag accrual. The arithmetic itself is covered by
 * {@link FloatArithmeticTest} and {@link FloatPropertyTest}.
 */
class FpuInstructionTest {
  private static final int S = 0;
  private static final int D = 1;
  private static final int DYN = 7;
  private static final long FS_MASK = 3L << 13;
  private static final long SD = 1L << 63;
  private static final long BOX = 0xFFFF_FFFF_0000_0000L;
  private static final long ONE_D = Double.doubleToRawLongBits(1.0);
  private static final long ONE_S = Float.floatToRawIntBits(1f);

  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  // encodings of the OP-FP funct5 values (Unpriv 20, 21 opcode map)
  private static Asm fadd(Asm a, int fmt, int rm, int rd, int rs1, int rs2) {
    return a.opFp(0x00, fmt, rm, rd, rs1, rs2);
  }

  private static Asm fdiv(Asm a, int fmt, int rm, int rd, int rs1, int rs2) {
    return a.opFp(0x03, fmt, rm, rd, rs1, rs2);
  }

  /** c.fldsp fd, offset(sp) (Unpriv 16.3). */
  private static int cFldsp(int fd, int offset) {
    return 0x2002 | ((offset >> 5) & 1) << 12 | fd << 7 | ((offset >> 3) & 3) << 5
        | ((offset >> 6) & 7) << 2;
  }

  /** c.fsdsp fs2, offset(sp). */
  private static int cFsdsp(int fs2, int offset) {
    return 0xA002 | ((offset >> 3) & 7) << 10 | ((offset >> 6) & 7) << 7 | fs2 << 2;
  }

  /** c.fld / c.fsd (funct3 1 / 5) with x8..x15 and f8..f15. */
  private static int cFloadStore(int funct3, int fRegister, int base, int offset) {
    return funct3 << 13 | ((offset >> 3) & 7) << 10 | (base - 8) << 7 | ((offset >> 6) & 3) << 5
        | (fRegister - 8) << 2;
  }

  @Test
  void everyFpInstructionIsIllegalWhileFsIsOff() {
    int flw = 0x07 | 1 << 7 | 2 << 12 | A0 << 15; // flw f1, 0(a0)
    f.run(f.program().word(flw).halt());
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, flw & 0xFFFF_FFFFL);

    Asm add = fadd(f.program(), D, 0, 1, 2, 3);
    int faddInsn = 0x53 | 1 << 7 | 2 << 15 | 3 << 20 | 1 << 25;
    f.run(add.halt());
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, faddInsn & 0xFFFF_FFFFL);

    f.run(f.program().csrr(A0, FFLAGS).halt());
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0x73 | A0 << 7 | 2 << 12 | FFLAGS << 20);

    int compressed = cFldsp(1, 8);
    f.run(f.program().half(compressed).half(0x0001).halt()); // c.fldsp, c.nop
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, compressed);

    int fmadd = 0x43 | 1 << 25;
    f.run(f.program().word(fmadd).halt());
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, fmadd);
  }

  @Test
  void writesMarkFsDirtyAndSetSd() {
    Asm a = f.program();
    a.setFs(1).csrr(A1, MSTATUS); // Initial
    a.fmvToF(D, 1, ZERO).csrr(A2, MSTATUS); // an f write: Dirty
    a.setFs(2).opFp(0x14, D, 2, A3, 1, 1).csrr(A4, MSTATUS); // feq without flags: stays Clean
    a.csrw(FFLAGS, ZERO).csrr(A5, MSTATUS); // an fcsr write: Dirty
    a.setFs(2).opFp(0x14, D, 1, A3, 1, 1).csrr(T3, SSTATUS); // flt raising no flag: Clean
    a.li(T1, 0x7FF8_0000_0000_0000L).fmvToF(D, 2, T1);
    a.setFs(2).opFp(0x14, D, 1, A3, 2, 1).csrr(T4, SSTATUS); // flt with a NaN raises NV: Dirty
    a.halt();
    f.run(a);
    assertEquals(1L << 13, f.hart.x(A1) & (FS_MASK | SD), "Initial, SD clear");
    assertEquals(FS_MASK | SD, f.hart.x(A2) & (FS_MASK | SD), "fmv.d.x: Dirty");
    assertEquals(2L << 13, f.hart.x(A4) & (FS_MASK | SD), "feq: Clean");
    assertEquals(FS_MASK | SD, f.hart.x(A5) & (FS_MASK | SD), "csrw fflags: Dirty");
    assertEquals(2L << 13, f.hart.x(T3) & (FS_MASK | SD), "flt, no flag: Clean");
    assertEquals(FS_MASK | SD, f.hart.x(T4) & (FS_MASK | SD), "flt NV: Dirty, SD in sstatus");
    assertEquals(FloatFlags.NV, f.hart.csr(FFLAGS));
  }

  @Test
  void singlesAreNanBoxed() {
    Asm a = f.program().setFs(1);
    a.li(A0, ONE_D).fmvToF(D, 1, A0); // f1 holds a double: not a boxed single
    fadd(a, S, 0, 2, 1, 1); // f2 = canonical NaN
    a.fmvToX(S, A1, 1); // bits 31:0 of f1, sign-extended, no check
    a.opFp(0x04, S, 0, 5, 1, 1); // fsgnj.s f5, f1, f1: canonical NaN, boxed
    a.opFp(0x08, D, 0, 6, 1, 0); // fcvt.d.s f6, f1: the canonical double NaN
    a.opFp(0x1C, S, 1, A2, 1, 0); // fclass.s a2, f1: quiet NaN
    a.li(T1, 0x1234_5678_BF80_0000L).fmvToF(S, 4, T1); // fmv.w.x boxes bits 31:0
    a.fmvToX(S, A3, 4);
    a.li(S0, HartFixture.DATA).li(T1, ONE_S).sw(T1, S0, 0);
    a.flw(3, S0, 0); // flw boxes
    a.fsw(1, S0, 8); // fsw stores bits 31:0 of an unboxed register
    a.halt();
    f.run(a);
    assertEquals(BOX | 0x7FC0_0000L, f.hart.f(2), "unboxed operand is the canonical NaN");
    assertEquals(0, f.hart.x(A1), "fmv.x.w");
    assertEquals(BOX | 0x7FC0_0000L, f.hart.f(5), "fsgnj.s");
    assertEquals(0x7FF8_0000_0000_0000L, f.hart.f(6), "fcvt.d.s");
    assertEquals(1 << 9, f.hart.x(A2), "fclass.s");
    assertEquals(BOX | 0xBF80_0000L, f.hart.f(4), "fmv.w.x");
    assertEquals(0xFFFF_FFFF_BF80_0000L, f.hart.x(A3), "fmv.x.w sign-extends");
    assertEquals(BOX | ONE_S, f.hart.f(3), "flw");
    assertEquals(0, f.load64(HartFixture.DATA + 8) & 0xFFFF_FFFFL, "fsw");
    assertEquals(0, f.hart.csr(FFLAGS), "quiet NaNs raise nothing");
  }

  @Test
  void dynamicRoundingUsesFrm() {
    Asm a = f.program().setFs(1);
    a.li(T1, 1).fmvToF(S, 1, ZERO).opFp(0x1A, S, 0, 1, T1, 0); // fcvt.s.w f1, 1
    a.li(T1, 3).opFp(0x1A, S, 0, 2, T1, 0); // f2 = 3
    a.csrrwi(ZERO, FRM, Rounding.RTZ);
    fdiv(a, S, DYN, 3, 1, 2); // 1/3 under frm = RTZ
    fdiv(a, S, Rounding.RNE, 4, 1, 2); // static RNE
    a.csrrwi(ZERO, FRM, Rounding.RUP);
    fdiv(a, S, DYN, 5, 1, 2);
    a.csrr(A0, FCSR);
    a.halt();
    f.run(a);
    assertEquals(BOX | 0x3EAA_AAAAL, f.hart.f(3), "RTZ");
    assertEquals(BOX | 0x3EAA_AAABL, f.hart.f(4), "RNE");
    assertEquals(BOX | 0x3EAA_AAABL, f.hart.f(5), "RUP");
    assertEquals(Rounding.RUP << 5 | FloatFlags.NX, f.hart.x(A0), "fcsr = frm, NX");
  }

  @Test
  void reservedRoundingModesAreIllegal() {
    for (int rm : new int[] {5, 6}) {
      Asm a = f.program().setFs(1);
      int insn = 0x53 | 1 << 7 | rm << 12 | 1 << 25; // fadd.d f1, f0, f0, rm
      f.run(a.word(insn).halt());
      f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn & 0xFFFF_FFFFL);
    }
    for (int frm : new int[] {5, 6, 7}) {
      Asm a = f.program().setFs(1).csrrwi(ZERO, FRM, frm);
      int insn = 0x53 | 1 << 7 | DYN << 12 | 1 << 25; // fadd.d f1, f0, f0, dyn
      f.run(a.word(insn).halt());
      f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn & 0xFFFF_FFFFL);
    }
    // an exact conversion checks rm too; sign injection's funct3 is not a rounding mode
    Asm a = f.program().setFs(1).csrrwi(ZERO, FRM, 5);
    a.opFp(0x04, D, 0, 1, 0, 0);
    int insn = 0x53 | 1 << 7 | DYN << 12 | 0x1A << 27 | 1 << 25; // fcvt.d.w f1, x0, dyn
    f.run(a.word(insn).halt());
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn & 0xFFFF_FFFFL);
  }

  @Test
  void otherReservedEncodingsAreIllegal() {
    int[] encodings = {
        0x53 | 2 << 25, // fadd.h: fmt H not implemented
        0x53 | 0x0B << 27 | 1 << 20, // fsqrt.s with rs2 != 0
        0x07 | 1 << 12, // flh
        0x53 | 0x04 << 27 | 3 << 12, // fsgnj funct3 3
        0x53 | 0x08 << 27, // fcvt.s.s (rs2 = 0 with fmt S)
        0x53 | 0x18 << 27 | 4 << 20, // fcvt with rs2 = 4
        0x53 | 0x1E << 27 | 1 << 12, // fmv.w.x with funct3 1
        0x43 | 3 << 25, // fmadd.q
    };
    for (int insn : encodings) {
      f.run(f.program().setFs(1).word(insn).halt());
      f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn & 0xFFFF_FFFFL);
    }
  }

  @Test
  void fcsrFields() {
    Asm a = f.program().setFs(1);
    a.li(T1, -1).csrrw(A0, FCSR, T1).csrr(A1, FCSR).csrr(A2, FFLAGS).csrr(A3, FRM);
    a.csrrwi(ZERO, FRM, 2).csrr(A4, FCSR);
    a.csrrci(ZERO, FFLAGS, 0x11).csrr(A5, FCSR);
    a.halt();
    f.run(a);
    assertEquals(0, f.hart.x(A0), "fcsr resets to 0");
    assertEquals(0xFF, f.hart.x(A1), "fcsr keeps bits 7:0");
    assertEquals(0x1F, f.hart.x(A2));
    assertEquals(7, f.hart.x(A3));
    assertEquals(2 << 5 | 0x1F, f.hart.x(A4));
    assertEquals(2 << 5 | 0x0E, f.hart.x(A5));
  }

  @Test
  void flagsAccrueAcrossInstructions() {
    Asm a = f.program().setFs(1);
    a.li(T1, ONE_D).fmvToF(D, 1, T1); // f1 = 1.0
    fdiv(a, D, 0, 2, 1, 0); // 1 / +0: DZ, +inf
    a.opFp(0x01, D, 0, 3, 0, 1); // f3 = 0 - 1 = -1
    a.opFp(0x0B, D, 0, 4, 3, 0); // sqrt(-1): NV
    a.csrr(A0, FFLAGS);
    a.halt();
    f.run(a);
    assertEquals(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), f.hart.f(2));
    assertEquals(0x7FF8_0000_0000_0000L, f.hart.f(4));
    assertEquals(FloatFlags.DZ | FloatFlags.NV, f.hart.x(A0));
  }

  @Test
  void conversionsAndMovesThroughXRegisters() {
    Asm a = f.program().setFs(1);
    a.li(T1, 0x7FC0_0000L).fmvToF(S, 1, T1); // f1 = NaN (single)
    a.opFp(0x18, S, 1, A0, 1, 0); // fcvt.w.s a0, f1, rtz: 2^31 - 1, NV
    a.li(T1, Double.doubleToRawLongBits(3e9)).fmvToF(D, 2, T1);
    a.opFp(0x18, D, 1, A1, 2, 1); // fcvt.wu.d a1, f2: sign-extended
    a.opFp(0x18, D, 1, A2, 2, 2); // fcvt.l.d
    a.li(T1, -7).opFp(0x1A, D, 0, 3, T1, 2); // fcvt.d.l f3, -7
    a.fmvToX(D, A3, 3); // fmv.x.d
    a.opFp(0x08, S, 0, 4, 2, 1); // fcvt.s.d f4, f2
    a.r4(0x43, D, 0, 5, 3, 3, 3); // fmadd.d f5 = -7 × -7 + -7 = 42
    a.r4(0x4F, D, 0, 6, 3, 3, 3); // fnmadd.d f6 = -(49) + 7 = -42
    a.csrr(A4, FFLAGS);
    a.halt();
    f.run(a);
    assertEquals(Integer.MAX_VALUE, f.hart.x(A0), "NaN saturates");
    assertEquals((long) (int) 3_000_000_000L, f.hart.x(A1), "wu sign-extends");
    assertEquals(3_000_000_000L, f.hart.x(A2));
    assertEquals(Double.doubleToRawLongBits(-7.0), f.hart.x(A3));
    assertEquals(BOX | Float.floatToRawIntBits(3e9f), f.hart.f(4), "3e9 is exact in single");
    assertEquals(Double.doubleToRawLongBits(42.0), f.hart.f(5));
    assertEquals(Double.doubleToRawLongBits(-42.0), f.hart.f(6));
    assertEquals(FloatFlags.NV, f.hart.x(A4));
  }

  @Test
  void loadsAndStoresIncludingCompressed() {
    long value = 0x4009_21FB_5444_2D18L; // pi
    Asm a = f.program().setFs(1);
    a.li(SP, HartFixture.DATA).li(T1, value).sd(T1, SP, 0x48);
    a.li(T1, -1).sd(T1, SP, 0x1B8).sd(T1, SP, 0x108); // overwritten by the c.fsd of zeros
    a.fld(7, SP, 0x48);
    a.half(cFsdsp(7, 0x1F8)); // c.fsdsp f7, 0x1f8(sp)
    a.half(cFldsp(0, 0x1F8)); // c.fldsp f0 (rd 0 is fine for f registers)
    a.li(S1, HartFixture.DATA + 0x100);
    a.half(cFloadStore(5, 8, 9, 0xB8)); // c.fsd f8, 0xb8(s1): f8 = 0
    a.half(cFloadStore(5, 15, 9, 0x08)); // c.fsd f15 (0)
    a.fsd(7, S1, 0x40).half(cFloadStore(1, 12, 9, 0x40)); // c.fld f12, 0x40(s1)
    a.fsw(7, SP, 0x10);
    a.halt();
    f.run(a);
    assertEquals(value, f.hart.f(7), "fld");
    assertEquals(value, f.load64(HartFixture.DATA + 0x1F8), "c.fsdsp");
    assertEquals(value, f.hart.f(0), "c.fldsp");
    assertEquals(value, f.hart.f(12), "c.fld");
    assertEquals(0, f.load64(HartFixture.DATA + 0x1B8), "c.fsd f8");
    assertEquals(0, f.load64(HartFixture.DATA + 0x108), "c.fsd f15");
    assertEquals(0x5444_2D18L, f.load64(HartFixture.DATA + 0x10) & 0xFFFF_FFFFL, "fsw low bits");
  }

  @Test
  void supervisorTurnsTheFpuOnThroughSstatusAndUserModeUsesIt() {
    long sCode = HartFixture.CODE + 0x800;
    long uCode = HartFixture.CODE + 0xC00;
    Asm m = f.program();
    m.enterMode(Privilege.S, sCode);
    f.place(m);
    Asm s = new Asm(sCode);
    s.li(T1, 1L << 13).csrrs(ZERO, SSTATUS, T1); // sstatus.FS = Initial, as a kernel does
    s.li(T1, uCode).csrw(SEPC, T1).li(T1, 1L << 8).csrrc(ZERO, SSTATUS, T1).sret(); // to U
    f.place(s);
    Asm u = new Asm(uCode);
    u.li(T1, ONE_D).fmvToF(D, 1, T1);
    fdiv(u, D, 0, 2, 1, 0); // 1 / 0 in U-mode: DZ
    u.csrr(A0, FFLAGS); // fflags is a user CSR
    u.halt();
    f.place(u);
    f.hart.reset(HartFixture.CODE);
    f.runMore();
    assertEquals(Privilege.USER, f.hart.privilege(), "still in U-mode: nothing trapped");
    assertEquals(FloatFlags.DZ, f.hart.x(A0));
    assertEquals(FS_MASK | SD, f.hart.csr(SSTATUS) & (FS_MASK | SD), "Dirty seen through sstatus");
  }
}
