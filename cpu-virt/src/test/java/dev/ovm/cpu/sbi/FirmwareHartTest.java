package dev.ovm.cpu.sbi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.cpu.Asm;
import dev.ovm.cpu.CsrAddress;
import dev.ovm.cpu.Hart;
import dev.ovm.vmm.VcpuExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hart whose M-mode firmware is the VMM: set up as OpenSBI leaves a hart (delegation, counters,
 * STCE), misaligned loads and stores done by the hart, and no guest code ever reaching M-mode.
 */
class FirmwareHartTest {
  private final SbiFixture f = new SbiFixture(1);
  private final Hart hart = f.hart(0);

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void theHartIsSetUpAsOpenSbiLeavesItForItsPayload() {
    assertEquals(0xB3FFL & ~(1L << 9), hart.csr(CsrAddress.MEDELEG), "all but ECALL from S");
    assertEquals(0x222, hart.csr(CsrAddress.MIDELEG), "SSIP, STIP, SEIP");
    assertEquals(0xFFFF_FFFFL, hart.csr(CsrAddress.MCOUNTEREN));
    assertEquals(1L << 63, hart.csr(CsrAddress.MENVCFG), "STCE: the guest gets Sstc");
  }

  @Test
  void misalignedLoadsAndStoresWorkInSupervisorMode() {
    long data = SbiFixture.DATA + 3;
    Asm a = new Asm(SbiFixture.DATA + 0x1000).li(Asm.S0, data).li(Asm.T0, 0x8877_6655_4433_2211L)
        .sd(Asm.T0, Asm.S0, 0).ld(Asm.A0, Asm.S0, 0).load(1, Asm.A1, Asm.S0, 6) // lh of 0x8877
        .load(5, Asm.A2, Asm.S0, 6).lw(Asm.A3, Asm.S0, 1).halt();
    f.place(a);
    SbiFixture.jump(hart, a.origin());
    hart.run(40);
    assertEquals(0x8877_6655_4433_2211L, hart.x(Asm.A0));
    assertEquals((short) 0x8877, hart.x(Asm.A1), "LH sign-extends");
    assertEquals(0x8877, hart.x(Asm.A2), "LHU zero-extends");
    assertEquals(0x5544_3322, hart.x(Asm.A3), "LW at data + 1");
    assertEquals(0x11, f.bus.load(data, 1), "little-endian byte order");
    assertEquals(0x88, f.bus.load(data + 7, 1));
  }

  @Test
  void aTrapThatWouldReachMachineModeEndsTheHartWithAReason() {
    Hart lone = f.hart(0);
    lone.reset(SbiFixture.DATA);
    lone.installFirmware(f.sbi, true); // still in M-mode: an illegal instruction goes to M
    f.place(new Asm(SbiFixture.DATA).word(0));
    VcpuExit exit = lone.run(10);
    VcpuExit.Fatal fatal = assertInstanceOf(VcpuExit.Fatal.class, exit);
    assertTrue(fatal.reason().contains("would trap to M-mode"), fatal.reason());
  }
}
