package dev.ovm.cpu.sbi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.cpu.Asm;
import dev.ovm.cpu.CsrAddress;
import dev.ovm.cpu.Privilege;
import dev.ovm.vmm.VcpuExit;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The VMM's SBI seen from S-mode: a hart executes ECALL with a7/a6/a0.. and the results in a0/a1
 * and the effects on the harts and the board are checked, per extension (SBI spec v2.0).
 */
class SbiTest {
  private static final long BASE = 0x10;
  private static final long TIME = 0x54494D45L;
  private static final long IPI = 0x735049;
  private static final long SRST = 0x53525354L;
  private static final long DBCN = 0x4442434EL;
  private static final long SSIP = 1L << 1;
  private static final long STIP = 1L << 5;

  private final SbiFixture f = new SbiFixture(2);

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void baseReportsVersionsImplementationAndProbes() { // ch. 4
    assertArrayEquals(new long[] {0, 2L << 24}, f.call(0, BASE, 0));
    assertArrayEquals(new long[] {0, 0x6F766D}, f.call(0, BASE, 1));
    assertArrayEquals(new long[] {0, Sbi.IMPLEMENTATION_VERSION}, f.call(0, BASE, 2));
    for (long eid : new long[] {BASE, TIME, IPI, 0x52464E43L, 0x48534D, SRST, DBCN, 0x01, 0x04, 0x08}) {
      assertEquals(1, f.call(0, BASE, 3, eid)[1], "probe 0x" + Long.toHexString(eid));
    }
    for (long eid : new long[] {0x504D55, 0x09, 0x12345678}) { // PMU, unassigned legacy, nonsense
      assertArrayEquals(new long[] {0, 0}, f.call(0, BASE, 3, eid), "probe 0x" + Long.toHexString(eid));
    }
    assertArrayEquals(new long[] {0, 0}, f.call(0, BASE, 4)); // mvendorid
    assertArrayEquals(new long[] {0, 0}, f.call(0, BASE, 6)); // mimpid
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, BASE, 7)[0]);
  }

  /**
   * SBI spec v2.0 ch. 3: EIDs and FIDs are signed 32-bit integers, so every extension reads only the
   * low 32 bits of a7 and a6 (once some extensions compared all 64 bits of a6 and others 32).
   */
  @Test
  void onlyTheLow32BitsOfTheExtensionAndFunctionIdsCount() {
    long junk = 0x5A5A_0000_0000_0000L;
    assertArrayEquals(new long[] {0, 2L << 24}, f.call(0, BASE | junk, junk));
    assertArrayEquals(new long[] {0, 0}, f.call(0, TIME | junk, junk | 0xFFFF_FFFF_0000_0000L, 500));
    assertEquals(500, f.hart(0).timerDeadline());
    assertEquals(0, f.call(0, 0x52464E43L | junk, junk | 1, 0, -1)[0], "RFENCE remote_sfence_vma");
    assertEquals(0, f.call(0, IPI | junk, junk, 0, -1)[0], "IPI send_ipi");
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, TIME, 1L)[0], "a real FID 1 is still unknown");
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, TIME | junk, junk | 1)[0]);
  }

  @Test
  void anUnknownExtensionIsNotSupportedAndTheHartContinuesInSupervisorMode() {
    long[] result = f.call(0, 0x0A000000, 0, 1, 2);
    assertEquals(Sbi.ERR_NOT_SUPPORTED, result[0]);
    assertEquals(Privilege.SUPERVISOR, f.hart(0).privilege());
    assertEquals(SbiFixture.ecallAddress(0) + 4, f.hart(0).pc(), "resumes after the ECALL");
  }

  @Test
  void setTimerRaisesStipWhenTimeReachesItAndClearsItWhenMovedAway() { // ch. 6
    assertArrayEquals(new long[] {0, 0}, f.call(0, TIME, 0, 500));
    assertEquals(500, f.hart(0).timerDeadline());
    f.clock.idleUntil(499);
    assertEquals(0, f.hart(0).csr(CsrAddress.SIP) & STIP, "not yet at 499");
    f.clock.idleUntil(500);
    assertEquals(STIP, f.hart(0).csr(CsrAddress.SIP) & STIP, "pending at 500");
    assertEquals(Long.MAX_VALUE, f.hart(0).timerDeadline(), "no deadline once fired");
    f.call(0, TIME, 0, -1L);
    assertEquals(0, f.hart(0).csr(CsrAddress.SIP) & STIP, "cleared by a later stime_value");
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, TIME, 1)[0]);
  }

  @Test
  void theTimerWakesAHartWaitingWithStieSet() {
    f.call(0, TIME, 0, 100);
    f.place(new Asm(SbiFixture.DATA).li(Asm.T0, STIP).csrw(CsrAddress.SIE, Asm.T0).wfi().halt());
    SbiFixture.jump(f.hart(0), SbiFixture.DATA);
    assertInstanceOf(VcpuExit.WaitForInterrupt.class, f.run(0, 100));
    assertFalse(f.hart(0).wakeable());
    f.clock.idleUntil(f.hart(0).timerDeadline());
    assertTrue(f.hart(0).wakeable());
  }

  @Test
  void sendIpiSetsSsipOnTheNamedHartsOnly() { // ch. 7
    assertArrayEquals(new long[] {0, 0}, f.call(0, IPI, 0, 0b10, 0));
    assertEquals(SSIP, f.hart(1).csr(CsrAddress.SIP) & SSIP);
    assertEquals(0, f.hart(0).csr(CsrAddress.SIP) & SSIP);
    f.call(0, IPI, 0, 0, -1); // base -1: every hart
    assertEquals(SSIP, f.hart(0).csr(CsrAddress.SIP) & SSIP);
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, IPI, 0, 0b100, 0)[0], "hart 2 does not exist");
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, IPI, 0, 1, 2)[0], "base beyond the harts");
  }

  @Test
  void anIpiWakesAWaitingHartAndTheGuestClearsItThroughSip() {
    f.place(new Asm(SbiFixture.DATA).li(Asm.T0, SSIP).csrw(CsrAddress.SIE, Asm.T0).wfi()
        .csrrc(Asm.ZERO, CsrAddress.SIP, Asm.T0).halt());
    SbiFixture.jump(f.hart(1), SbiFixture.DATA);
    assertInstanceOf(VcpuExit.WaitForInterrupt.class, f.run(1, 100));
    assertFalse(f.hart(1).wakeable());
    f.call(0, IPI, 0, 0b10, 0);
    assertTrue(f.hart(1).wakeable());
    f.run(1, 100); // SIE is 0: the hart wakes, does not trap, and clears SSIP
    assertEquals(0, f.hart(1).csr(CsrAddress.SIP) & SSIP);
    assertFalse(f.hart(1).wakeable());
  }

  @Test
  void systemResetValidatesTypeAndReasonThenStopsTheVm() { // ch. 10
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, SRST, 0, 3, 0)[0], "reserved type");
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, SRST, 0, 0, 2)[0], "reserved reason");
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, SRST, 0, 0xF000_0000L, 0)[0], "vendor type");
    assertTrue(f.resets.isEmpty());
    f.call(0, SRST, 0, 1, 0xF000_0001L); // cold reboot, vendor reason
    f.call(1, SRST, 0, 0, 1); // shutdown, system failure
    assertEquals(2, f.resets.size());
    assertArrayEquals(new int[] {1, 0xF000_0001}, f.resets.get(0));
    assertArrayEquals(new int[] {0, 1}, f.resets.get(1));
    assertTrue(f.hart(1).parked(), "the hart runs nothing after a reset request");
  }

  @Test
  void debugConsoleWritesReadsAndRejectsBuffersOutsideRam() { // ch. 12
    byte[] hello = "hello, ovm".getBytes(StandardCharsets.US_ASCII);
    f.ram.write(SbiFixture.DATA, hello, 0, hello.length);
    assertArrayEquals(new long[] {0, hello.length}, f.call(0, DBCN, 0, hello.length, SbiFixture.DATA, 0));
    assertArrayEquals(new long[] {0, 0}, f.call(0, DBCN, 2, '!'));
    assertEquals("hello, ovm!", f.console());
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, DBCN, 0, 16, SbiFixture.RAM_BASE + SbiFixture.RAM_SIZE - 8, 0)[0]);
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, DBCN, 0, 4, SbiFixture.DATA, 1)[0], "base_addr_hi");
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, DBCN, 1, 4, 0x1000, 0)[0], "read into MMIO");

    f.typed.add((int) 'o');
    f.typed.add((int) 'k');
    assertArrayEquals(new long[] {0, 2}, f.call(0, DBCN, 1, 8, SbiFixture.DATA + 64, 0));
    byte[] got = new byte[2];
    f.ram.read(SbiFixture.DATA + 64, got, 0, 2);
    assertEquals("ok", new String(got, StandardCharsets.US_ASCII));
    assertArrayEquals(new long[] {0, 0}, f.call(0, DBCN, 1, 8, SbiFixture.DATA + 64, 0), "nothing typed");
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, DBCN, 3)[0]);
  }

  @Test
  void legacySendIpiReadsTheHartMaskThroughThePointer() { // ch. 5.5
    long mask = SbiFixture.DATA + 0x100;
    f.bus.store(mask, 8, 0b10);
    assertEquals(0, f.call(0, 0x04, 0, mask)[0]);
    assertEquals(SSIP, f.hart(1).csr(CsrAddress.SIP) & SSIP);
    assertEquals(0, f.hart(0).csr(CsrAddress.SIP) & SSIP, "hart 0 is not in the mask");
    assertEquals(0, f.call(1, 0x04, 0, 0)[0], "a null mask pointer names every hart");
    assertEquals(SSIP, f.hart(0).csr(CsrAddress.SIP) & SSIP);
    assertEquals(Sbi.ERR_INVALID_ADDRESS, f.call(0, 0x04, 0, 0x1000)[0], "unreadable mask");
    f.bus.store(mask, 8, 0b100);
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, 0x04, 0, mask)[0], "hart 2 does not exist");
    f.bus.store(mask, 8, 0b11);
    assertEquals(0, f.call(0, 0x06, 0, mask, 0, -1)[0], "legacy remote_sfence_vma");
    assertEquals(0, f.call(0, 0x05, 0, mask)[0], "legacy remote_fence_i");
  }

  @Test
  void legacyExtensionsReturnOnlyA0() { // ch. 5
    f.hart(0).setX(11, 0x5555);
    f.call(0, 0x01, 0, 'L');
    assertEquals("L", f.console());
    assertEquals(0, f.hart(0).x(10));
    assertEquals(-1, f.call(0, 0x02, 0)[0], "console_getchar with nothing typed");
    f.typed.add(0x41);
    assertEquals(0x41, f.call(0, 0x02, 0)[0]);
    f.call(0, 0x00, 0, 42); // set_timer
    assertEquals(42, f.hart(0).timerDeadline());
    f.call(1, IPI, 0, 1, 0);
    f.call(0, 0x03, 0); // clear_ipi
    assertEquals(0, f.hart(0).csr(CsrAddress.SIP) & SSIP);
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, 0x09, 0)[0], "no legacy extension 0x09");
    f.call(0, 0x08, 0);
    assertArrayEquals(new int[] {0, 0}, f.resets.get(0));
  }
}
