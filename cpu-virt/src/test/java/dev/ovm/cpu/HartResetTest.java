package dev.ovm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A hart reset for a VM reset: the architectural state as at creation, the VMM's count goes on. */
class HartResetTest {

  @Test
  void resetClearsRegistersAndCsrsRestartsMinstretButNotTheVmmCount() {
    try (HartFixture f = new HartFixture()) {
      f.place(f.asm()
          .addi(Asm.T0, Asm.ZERO, 7)
          .csrrw(Asm.ZERO, CsrAddress.SSCRATCH, Asm.T0)
          .csrrw(Asm.ZERO, CsrAddress.MSCRATCH, Asm.T0)
          .halt());
      f.hart.run(100);
      long ran = f.hart.retired();
      assertEquals(7, f.hart.x(Asm.T0));
      assertEquals(7, f.hart.csr(CsrAddress.SSCRATCH));
      f.hart.reset(HartFixture.CODE);
      assertEquals(0, f.hart.x(Asm.T0));
      assertEquals(0, f.hart.csr(CsrAddress.SSCRATCH));
      assertEquals(0, f.hart.csr(CsrAddress.MSCRATCH));
      assertEquals(HartFixture.CODE, f.hart.pc());
      assertEquals(0, f.hart.csr(CsrAddress.MINSTRET), "the guest's counter restarts");
      assertEquals(ran, f.hart.retired(), "the VMM's count does not");
      f.hart.run(3);
      assertEquals(3, f.hart.csr(CsrAddress.MINSTRET));
      assertEquals(ran + 3, f.hart.retired());
    }
  }
}
