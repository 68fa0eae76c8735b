package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The A extension (Unpriv chapter 14): LR/SC and every AMO in both widths. */
class AtomicTest {
  private static final long DATA = HartFixture.DATA;
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void lrScSucceedsThenFailsWithoutReservation() {
    f.store64(DATA, 5);
    Asm a = f.program();
    a.li(S0, DATA).li(A1, 9);
    a.amo(0x02, 3, A0, S0, 0); // lr.d a0, (s0)
    a.amo(0x03, 3, A2, S0, A1); // sc.d a2, a1, (s0): succeeds
    a.amo(0x03, 3, A3, S0, A1); // sc.d again: no reservation, fails
    a.halt();
    f.run(a);
    assertEquals(5, f.hart.x(A0));
    assertEquals(0, f.hart.x(A2));
    assertEquals(1, f.hart.x(A3));
    assertEquals(9, f.load64(DATA));
  }

  @Test
  void scFailsWhenMemoryChangedOrAddressDiffers() {
    f.store64(DATA, 5);
    Asm a = f.program();
    a.li(S0, DATA).li(A1, 9).li(A4, 6);
    a.amo(0x02, 3, A0, S0, 0); // lr.d
    a.sd(A4, S0, 0); // the value changes (as if another hart stored)
    a.amo(0x03, 3, A2, S0, A1); // sc.d fails
    a.amo(0x02, 3, A0, S0, 0); // lr.d
    a.addi(S1, S0, 8);
    a.amo(0x03, 3, A3, S1, A1); // sc.d to another address fails
    a.halt();
    f.run(a);
    assertEquals(1, f.hart.x(A2));
    assertEquals(1, f.hart.x(A3));
    assertEquals(6, f.load64(DATA));
    assertEquals(0, f.load64(DATA + 8));
  }

  @Test
  void trapClearsTheReservation() {
    // lr; ecall (handler at HALT+4 just mrets past the ecall); sc must fail
    f.store64(DATA, 5);
    Asm handler = new Asm(HartFixture.HALT + 0x100);
    handler.csrr(T0, CsrAddress.MEPC).addi(T0, T0, 4).csrw(CsrAddress.MEPC, T0).mret();
    f.place(handler);
    Asm a = f.asm();
    a.li(T0, handler.origin()).csrw(CsrAddress.MTVEC, T0);
    a.li(S0, DATA).li(A1, 9);
    a.amo(0x02, 3, A0, S0, 0).ecall().amo(0x03, 3, A2, S0, A1).halt();
    f.run(a);
    assertEquals(1, f.hart.x(A2));
    assertEquals(5, f.load64(DATA));
  }

  @Test
  void lrScWordSignExtends() {
    f.store64(DATA, 0x8000_0001L);
    Asm a = f.program();
    a.li(S0, DATA).li(A1, -1);
    a.amo(0x02, 2, A0, S0, 0).amo(0x03, 2, A2, S0, A1).halt();
    f.run(a);
    assertEquals(0xFFFF_FFFF_8000_0001L, f.hart.x(A0));
    assertEquals(0, f.hart.x(A2));
    assertEquals(0xFFFF_FFFFL, f.load64(DATA), "only the word is written");
  }

  private long[] amo(int funct5, int funct3, long memory, long operand) {
    f.store64(DATA, memory);
    Asm a = f.program();
    a.li(S0, DATA).li(A1, operand).amo(funct5, funct3, A0, S0, A1).halt();
    f.run(a);
    return new long[] {f.hart.x(A0), f.load64(DATA)};
  }

  private void assertAmo(int funct5, int funct3, long memory, long operand, long rd, long after) {
    long[] result = amo(funct5, funct3, memory, operand);
    assertEquals(rd, result[0], "rd of funct5 " + funct5);
    assertEquals(after, result[1], "memory after funct5 " + funct5);
  }

  @Test
  void doublewordAmos() {
    assertAmo(0x01, 3, 7, -2, 7, -2); // AMOSWAP
    assertAmo(0x00, 3, 7, -2, 7, 5); // AMOADD
    assertAmo(0x04, 3, 6, 3, 6, 5); // AMOXOR
    assertAmo(0x0C, 3, 6, 3, 6, 2); // AMOAND
    assertAmo(0x08, 3, 6, 3, 6, 7); // AMOOR
    assertAmo(0x10, 3, -1, 1, -1, -1); // AMOMIN
    assertAmo(0x14, 3, -1, 1, -1, 1); // AMOMAX
    assertAmo(0x18, 3, -1, 1, -1, 1); // AMOMINU
    assertAmo(0x1C, 3, -1, 1, -1, -1); // AMOMAXU
  }

  @Test
  void wordAmosSignExtendAndCompareLowWords() {
    long high = 0x1234_5678_0000_0000L; // the upper word in memory must not change
    assertAmo(0x00, 2, high | 0x7FFF_FFFFL, 1, 0x7FFF_FFFFL, high | 0x8000_0000L); // AMOADD.W
    assertAmo(0x01, 2, high | 0x8000_0000L, 3, 0xFFFF_FFFF_8000_0000L, high | 3); // AMOSWAP.W
    assertAmo(0x10, 2, high | 0xFFFF_FFFFL, 1, -1, high | 0xFFFF_FFFFL); // AMOMIN.W: -1 < 1
    assertAmo(0x14, 2, high | 0xFFFF_FFFFL, 1, -1, high | 1); // AMOMAX.W
    assertAmo(0x18, 2, high | 0xFFFF_FFFFL, 1, -1, high | 1); // AMOMINU.W
    assertAmo(0x1C, 2, high | 1, 0xFFFF_FFFFL, 1, high | 0xFFFF_FFFFL); // AMOMAXU.W
    assertAmo(0x04, 2, high | 0xF0, 0xFF, 0xF0, high | 0x0F); // AMOXOR.W
    assertAmo(0x0C, 2, high | 0xF0, 0x3C, 0xF0, high | 0x30); // AMOAND.W
    assertAmo(0x08, 2, high | 0xF0, 0x0F, 0xF0, high | 0xFF); // AMOOR.W
  }

  @Test
  void misalignedAtomicsTrap() {
    Asm a = f.program();
    a.li(S0, DATA + 4).amo(0x00, 3, A0, S0, A1).halt();
    f.run(a);
    f.assertTrap(Cause.STORE_ADDRESS_MISALIGNED, DATA + 4);

    a = f.program();
    a.li(S0, DATA + 2).amo(0x02, 2, A0, S0, 0).halt();
    f.run(a);
    f.assertTrap(Cause.LOAD_ADDRESS_MISALIGNED, DATA + 2);
  }

  @Test
  void amoOutsideRamIsAnAccessFault() {
    Asm a = f.program();
    a.li(S0, 0x1000).amo(0x00, 3, A0, S0, A1).halt();
    f.run(a);
    f.assertTrap(Cause.STORE_ACCESS_FAULT, 0x1000);
  }

  @Test
  void undefinedAmoFunct5AndLrWithRs2AreIllegal() {
    Asm a = f.program();
    a.li(S0, DATA);
    long insn = 0x2F | 3 << 12 | 0x06 << 27 | S0 << 15;
    a.word((int) insn).halt();
    f.run(a);
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn);

    a = f.program();
    a.li(S0, DATA);
    insn = 0x2F | 3 << 12 | 0x02 << 27 | S0 << 15 | 1 << 20;
    a.word((int) insn).halt();
    f.run(a);
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn);
  }
}
