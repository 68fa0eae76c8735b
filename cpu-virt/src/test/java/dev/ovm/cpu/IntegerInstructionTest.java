package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RV64I (Unpriv chapters 2 and 5) executed on a hart. */
class IntegerInstructionTest {
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void immediateArithmeticAndLogic() {
    Asm a = f.program();
    a.li(A0, -5).addi(A1, A0, 7).slti(A2, A0, 0).sltiu(A3, A0, 1).xori(A4, A0, -1)
        .ori(A5, A0, 0x70).andi(T3, A0, 0xF0 - 0x100).halt();
    f.run(a);
    assertEquals(2, f.hart.x(A1));
    assertEquals(1, f.hart.x(A2));
    assertEquals(0, f.hart.x(A3), "-5 is huge unsigned");
    assertEquals(4, f.hart.x(A4));
    assertEquals(-5 | 0x70, f.hart.x(A5));
    assertEquals(-5 & -16, f.hart.x(T3));
  }

  @Test
  void shiftsUseSixBitsOnRv64() {
    Asm a = f.program();
    a.li(A0, 0x8000_0000_0000_0001L).slli(A1, A0, 63).srli(A2, A0, 63).srai(A3, A0, 63)
        .li(T0, 65).op(0, 1, A4, A0, T0) // SLL by 65 = by 1
        .op(0x20, 5, A5, A0, T0) // SRA by 1
        .op(0, 5, T3, A0, T0) // SRL by 1
        .halt();
    f.run(a);
    assertEquals(0x8000_0000_0000_0000L, f.hart.x(A1));
    assertEquals(1, f.hart.x(A2));
    assertEquals(-1, f.hart.x(A3));
    assertEquals(2, f.hart.x(A4));
    assertEquals(0xC000_0000_0000_0000L, f.hart.x(A5));
    assertEquals(0x4000_0000_0000_0000L, f.hart.x(T3));
  }

  @Test
  void registerArithmeticAndCompare() {
    Asm a = f.program();
    a.li(A0, -1).li(A1, 1).add(A2, A0, A1).sub(A3, A1, A0)
        .op(0, 2, A4, A0, A1) // SLT -1 < 1
        .op(0, 3, A5, A0, A1) // SLTU max < 1 = 0
        .op(0, 4, T3, A0, A1).op(0, 6, T4, A1, ZERO).op(0, 7, S0, A0, A1).halt();
    f.run(a);
    assertEquals(0, f.hart.x(A2));
    assertEquals(2, f.hart.x(A3));
    assertEquals(1, f.hart.x(A4));
    assertEquals(0, f.hart.x(A5));
    assertEquals(-2, f.hart.x(T3));
    assertEquals(1, f.hart.x(T4));
    assertEquals(1, f.hart.x(S0));
  }

  @Test
  void wordOperationsSignExtend() {
    Asm a = f.program();
    a.li(A0, 0x7FFF_FFFFL).addiw(A1, A0, 1).slliw(A2, A0, 1).srliw(A3, A1, 31)
        .sraiw(A4, A1, 31)
        .op32(0, 0, A5, A0, A0) // ADDW
        .op32(0x20, 0, T3, ZERO, A0) // SUBW
        .li(T0, 33).op32(0, 1, T4, A0, T0) // SLLW by 33 -> by 1
        .op32(0x20, 5, S0, A1, T0) // SRAW by 1
        .op32(0, 5, S1, A1, T0) // SRLW by 1
        .halt();
    f.run(a);
    assertEquals(0xFFFF_FFFF_8000_0000L, f.hart.x(A1));
    assertEquals(-2, f.hart.x(A2));
    assertEquals(1, f.hart.x(A3));
    assertEquals(-1, f.hart.x(A4));
    assertEquals(-2, f.hart.x(A5));
    assertEquals(-0x7FFF_FFFFL, f.hart.x(T3));
    assertEquals(-2, f.hart.x(T4));
    assertEquals(0xFFFF_FFFF_C000_0000L, f.hart.x(S0));
    assertEquals(0x4000_0000L, f.hart.x(S1));
  }

  @Test
  void luiAuipcAndX0() {
    Asm a = f.program();
    long auipcAt = a.here() + 4;
    a.lui(A0, 0x80000).auipc(A1, 1).addi(ZERO, ZERO, 5).add(A2, ZERO, ZERO).halt();
    f.run(a);
    assertEquals(0xFFFF_FFFF_8000_0000L, f.hart.x(A0), "LUI sign-extends");
    assertEquals(auipcAt + 0x1000, f.hart.x(A1));
    assertEquals(0, f.hart.x(ZERO));
  }

  @Test
  void branchesTakenAndNotTaken() {
    Asm a = f.program();
    a.li(A0, -1).li(A1, 1).li(A2, 0);
    // each taken branch skips an "addi a2, a2, 100"; each not-taken one falls into "addi a2, a2, 1"
    a.beq(A0, A0, 8).addi(A2, A2, 100);
    a.bne(A0, A1, 8).addi(A2, A2, 100);
    a.blt(A0, A1, 8).addi(A2, A2, 100);
    a.bge(A1, A0, 8).addi(A2, A2, 100);
    a.bltu(A1, A0, 8).addi(A2, A2, 100);
    a.bgeu(A0, A1, 8).addi(A2, A2, 100);
    a.beq(A0, A1, 8).addi(A2, A2, 1);
    a.bltu(A0, A1, 8).addi(A2, A2, 1);
    a.blt(A1, A0, 8).addi(A2, A2, 1);
    a.halt();
    f.run(a);
    assertEquals(3, f.hart.x(A2));
  }

  @Test
  void backwardBranchLoop() {
    Asm a = f.program();
    a.li(A0, 10).li(A1, 0);
    a.add(A1, A1, A0).addi(A0, A0, -1).bne(A0, ZERO, -8).halt();
    f.run(a);
    assertEquals(55, f.hart.x(A1));
  }

  @Test
  void jalAndJalrLinkAndClearBitZero() {
    Asm a = f.program();
    long jalAt = a.here();
    a.jal(RA, 8).halt();
    long target = a.here() + 16;
    a.li(T0, target + 1); // odd: JALR clears bit 0
    a.jalr(T1, T0, 0);
    a.halt();
    a.halt();
    a.halt(); // target
    f.run(a);
    assertEquals(jalAt + 4, f.hart.x(RA));
    assertEquals(target, f.hart.pc());
  }

  @Test
  void loadsSignAndZeroExtend() {
    f.store64(HartFixture.DATA, 0x8182_8384_8586_8788L);
    Asm a = f.program();
    a.li(S0, HartFixture.DATA);
    for (int funct3 = 0; funct3 <= 6; funct3++) {
      a.load(funct3, A0 + funct3, S0, 0);
    }
    a.halt();
    f.run(a);
    assertEquals((long) (byte) 0x88, f.hart.x(A0));
    assertEquals((long) (short) 0x8788, f.hart.x(A1));
    assertEquals((long) 0x8586_8788, f.hart.x(A2));
    assertEquals(0x8182_8384_8586_8788L, f.hart.x(A3));
    assertEquals(0x88, f.hart.x(A4));
    assertEquals(0x8788, f.hart.x(A5));
    assertEquals(0x8586_8788L, f.hart.x(A6()));
  }

  private static int A6() {
    return 16;
  }

  @Test
  void storesOfEachWidth() {
    Asm a = f.program();
    a.li(S0, HartFixture.DATA).li(A0, 0x1122_3344_5566_7788L);
    a.sd(ZERO, S0, 0).sd(ZERO, S0, 8).sd(ZERO, S0, 16);
    a.store(0, A0, S0, 0).store(1, A0, S0, 8).store(2, A0, S0, 16).store(3, A0, S0, 24);
    a.halt();
    f.run(a);
    assertEquals(0x88, f.load64(HartFixture.DATA));
    assertEquals(0x7788, f.load64(HartFixture.DATA + 8));
    assertEquals(0x5566_7788L, f.load64(HartFixture.DATA + 16));
    assertEquals(0x1122_3344_5566_7788L, f.load64(HartFixture.DATA + 24));
  }

  @Test
  void reservedEncodingsAreIllegal() {
    int[] illegal = {
      0x0000_0000 | 0x13 | 1 << 12 | 1 << 26, // SLLI with imm[11:6] != 0
      0x13 | 5 << 12 | 0x08 << 26, // SRxI with funct6 0x08
      0x33 | 0x02 << 25, // OP funct7 2
      0x33 | 0x20 << 25 | 1 << 12, // OP funct7 0x20 funct3 1
      0x3B | 2 << 12, // OP-32 funct3 2
      0x1B | 1 << 12 | 1 << 25, // SLLIW with shamt[5]
      0x03 | 7 << 12, // LOAD funct3 7
      0x23 | 4 << 12, // STORE funct3 4
      0x63 | 2 << 12, // BRANCH funct3 2
      0x67 | 1 << 12, // JALR funct3 1
      0x0F | 2 << 12, // MISC-MEM funct3 2
      0x07, // LOAD-FP (no F/D)
      0x53, // OP-FP
      0x73 | 4 << 12, // SYSTEM funct3 4
      0x2F | 1 << 12, // AMO funct3 1
      0xFFFF_FFFF,
    };
    for (int insn : illegal) {
      Asm a = f.program();
      a.word(insn);
      f.run(a);
      f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn & 0xFFFF_FFFFL);
    }
  }

  @Test
  void fencesExecute() {
    Asm a = f.program();
    a.fence().fenceI().li(A0, 1).halt();
    f.run(a);
    assertEquals(1, f.hart.x(A0));
  }

  @Test
  void fenceIMakesStoredCodeVisible() {
    // store "addi a0, zero, 42" over the instruction that follows the fence.i
    Asm a = f.program();
    a.li(S0, 0x02A0_0513L); // addi a0, zero, 42
    long patch = a.here() + 8 * 4;
    a.li(S1, patch);
    while (a.here() < patch - 8) {
      a.addi(ZERO, ZERO, 0);
    }
    a.sw(S0, S1, 0).fenceI();
    a.addi(A0, ZERO, 1); // overwritten
    a.halt();
    f.run(a);
    assertEquals(42, f.hart.x(A0));
  }
}
