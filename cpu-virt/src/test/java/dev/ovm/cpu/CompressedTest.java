package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * RV64C (Unpriv chapter 16). The encodings are the ones GNU as emits for the instruction in the
 * comment (a compiler's prologue/epilogue idioms among them), worked out by hand from the spec's
 * tables, so they check the hart's expansion against an independent source.
 */
class CompressedTest {
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private Asm start() {
    Asm a = f.program();
    a.li(SP, HartFixture.DATA + 0x100);
    return a;
  }

  @Test
  void prologueAndEpilogueIdioms() {
    Asm a = start();
    a.li(RA, 0x1111).li(S0, 0x2222);
    a.half(0x1141); // addi sp,sp,-16
    a.half(0xE406); // sd ra,8(sp)
    a.half(0xE022); // sd s0,0(sp)
    a.half(0x0800); // addi s0,sp,16
    a.li(RA, 0).li(S1, 0);
    a.half(0x60A2); // ld ra,8(sp)
    a.half(0x6482); // ld s1,0(sp)
    a.half(0x0141); // addi sp,sp,16
    a.halt();
    f.run(a);
    assertEquals(HartFixture.DATA + 0x100, f.hart.x(SP));
    assertEquals(HartFixture.DATA + 0x100, f.hart.x(S0));
    assertEquals(0x1111, f.hart.x(RA));
    assertEquals(0x2222, f.hart.x(S1));
    assertEquals(0x1111, f.load64(HartFixture.DATA + 0x100 - 8));
  }

  @Test
  void immediatesAndMoves() {
    Asm a = start();
    a.half(0x4515); // li a0,5
    a.half(0x0505); // addi a0,a0,1  -> 6
    a.half(0x85AA); // mv a1,a0
    a.half(0x952E); // add a0,a0,a1 -> 12
    a.half(0x6605); // lui a2,0x1
    a.half(0x0808); // addi a0,sp,16
    a.halt();
    f.run(a);
    assertEquals(HartFixture.DATA + 0x110, f.hart.x(A0), "c.addi4spn a0,sp,16");
    assertEquals(6, f.hart.x(A1));
    assertEquals(0x1000, f.hart.x(A2));
  }

  @Test
  void wordOpsAndShifts() {
    Asm a = start();
    a.li(A0, 0x1_7FFF_FFFFL).li(A1, 1);
    a.half(0x2505); // addiw a0,a0,1 -> 0xFFFFFFFF80000000
    a.mvTo(A2, A0);
    a.li(A0, -1);
    a.half(0x1502); // slli a0,a0,32
    a.half(0x9101); // srli a0,a0,32 -> 0xFFFFFFFF
    a.mvTo(A3, A0);
    a.li(A0, -8);
    a.half(0x8505); // srai a0,a0,1 -> -4
    a.half(0x997D); // andi a0,a0,-1 -> -4
    a.mvTo(A4, A0);
    a.li(A0, 0x7FFF_FFFF);
    a.half(0x9D2D); // addw a0,a0,a1 -> sign-extended 0x80000000
    a.mvTo(A5, A0);
    a.li(A0, 0);
    a.half(0x9D0D); // subw a0,a0,a1 -> -1
    a.mvTo(T3, A0);
    a.halt();
    f.run(a);
    assertEquals(0xFFFF_FFFF_8000_0000L, f.hart.x(A2));
    assertEquals(0xFFFF_FFFFL, f.hart.x(A3));
    assertEquals(-4, f.hart.x(A4));
    assertEquals(0xFFFF_FFFF_8000_0000L, f.hart.x(A5));
    assertEquals(-1, f.hart.x(T3));
  }

  @Test
  void registerLogic() {
    Asm a = start();
    a.li(A0, 0b1100).li(A1, 0b1010).half(0x8D2D).mvTo(A2, A0); // xor a0,a0,a1
    a.li(A0, 0b1100).half(0x8D4D).mvTo(A3, A0); // or a0,a0,a1
    a.li(A0, 0b1100).half(0x8D6D).mvTo(A4, A0); // and a0,a0,a1
    a.li(A0, 0b1100).half(0x8D09).mvTo(A5, A0); // sub a0,a0,a0
    a.halt();
    f.run(a);
    assertEquals(0b0110, f.hart.x(A2));
    assertEquals(0b1110, f.hart.x(A3));
    assertEquals(0b1000, f.hart.x(A4));
    assertEquals(0, f.hart.x(A5));
  }

  @Test
  void loadsAndStores() {
    Asm a = start();
    a.li(A0, HartFixture.DATA).li(A5, 0x8765_4321L);
    a.half(0xC11C); // sw a5,0(a0)
    a.half(0xE51C); // sd a5,8(a0)
    a.li(A5, 0);
    a.half(0x411C).mvTo(A1, A5); // lw a5,0(a0): sign-extends
    a.half(0x651C).mvTo(A2, A5); // ld a5,8(a0)
    a.li(A0, 77);
    a.half(0xC22A); // sw a0,4(sp)
    a.li(A0, 0);
    a.half(0x4512); // lw a0,4(sp)
    a.halt();
    f.run(a);
    assertEquals(0xFFFF_FFFF_8765_4321L, f.hart.x(A1));
    assertEquals(0x8765_4321L, f.hart.x(A2));
    assertEquals(77, f.hart.x(A0));
  }

  @Test
  void jumpsAndBranches() {
    Asm a = start();
    a.li(A0, 0).li(A1, 0);
    a.half(0xC501); // beqz a0,+8: taken, skips the next 4 bytes
    a.li(A1, 99).half(0x0001); // (skipped: li is one 4-byte addi) + c.nop
    a.half(0xA011); // j +4: skips one halfword
    a.half(0x0000); // (skipped: would be illegal)
    long target = HartFixture.CODE + 0x800;
    long back = HartFixture.CODE + 0xA00;
    a.li(T0, target);
    long jalrAt = a.here();
    a.half(0x9282); // jalr t0 -> ra = pc + 2
    a.halt();
    Asm t = new Asm(target);
    t.mvTo(A3, RA).li(RA, back).half(0x8082); // ret
    f.place(t);
    f.place(new Asm(back).li(A4, 1).halt());
    f.run(a);
    assertEquals(0, f.hart.x(A1));
    assertEquals(jalrAt + 2, f.hart.x(A3), "c.jalr links pc + 2");
    assertEquals(1, f.hart.x(A4), "ret reached its target");
  }

  @Test
  void stackAdjustAndEbreak() {
    Asm a = start();
    a.half(0x7139); // addi sp,sp,-64
    a.mvTo(A0, SP);
    long ebreakAt = a.here();
    a.half(0x9002); // ebreak
    f.run(a);
    assertEquals(HartFixture.DATA + 0x100 - 64, f.hart.x(A0));
    f.assertTrap(Cause.BREAKPOINT, ebreakAt);
  }

  @Test
  void reservedEncodingsAreIllegalWithTheHalfwordAsTval() {
    int[] illegal = {
      0x0000, // all zero: c.addi4spn with nzuimm 0
      0x0004, // c.addi4spn a1, nzuimm 0
      0x2000, // c.fld (no D)
      0x8000, // quadrant 0 funct3 100: reserved
      0xA000, // c.fsd
      0x2001, // c.addiw x0
      0x6101, // c.addi16sp 0
      0x6501, // c.lui a0, 0
      0x9D41, // c.subw-group reserved op 10
      0x4002, // c.lwsp x0
      0x6002, // c.ldsp x0
      0x8002, // c.jr x0
      0x2002, // c.fldsp
      0xA002, // c.fsdsp
    };
    for (int halfword : illegal) {
      Asm a = f.program();
      a.half(halfword).half(0).halt();
      f.run(a);
      f.assertTrap(Cause.ILLEGAL_INSTRUCTION, halfword);
    }
  }

  @Test
  void instructionsAcrossAPageBoundary() {
    long page = HartFixture.CODE + 0x2000;
    Asm a = f.program();
    a.j(page - 6);
    f.place(a);
    Asm b = new Asm(page - 6);
    b.half(0x4515); // li a0,5 at ...FFA
    b.half(0x0505); // addi a0,a0,1 at ...FFC
    b.addi(A0, A0, 10); // 4-byte addi at ...FFE, crossing into the next page
    b.halt();
    f.place(b);
    f.hart.reset(HartFixture.CODE);
    f.runMore();
    assertEquals(16, f.hart.x(A0));
  }
}
