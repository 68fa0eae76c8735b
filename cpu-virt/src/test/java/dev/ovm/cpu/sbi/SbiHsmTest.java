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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SBI HSM (SBI spec v2.0 ch. 9): start, stop, status and suspend of the VMM's harts. */
class SbiHsmTest {
  private static final long HSM = 0x48534D;
  private static final long STARTED = 0;
  private static final long STOPPED = 1;
  private static final long START_PENDING = 2;
  private static final long SUSPENDED = 4;
  private static final long ENTRY = SbiFixture.DATA;

  private final SbiFixture f = new SbiFixture(2);

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void aStoppedHartIsNotRunnableUntilHartStartEntersItInSupervisorMode() {
    f.place(new Asm(ENTRY).halt());
    f.hart(1).stop();
    assertTrue(f.hart(1).parked());
    assertFalse(f.hart(1).wakeable(), "a stopped hart is not woken by interrupts");
    assertInstanceOf(VcpuExit.WaitForInterrupt.class, f.run(1, 100));
    assertEquals(0, f.hart(1).retired(), "it executes nothing");
    assertArrayEquals(new long[] {0, STOPPED}, f.call(0, HSM, 2, 1));

    assertArrayEquals(new long[] {0, 0}, f.call(0, HSM, 0, 1, ENTRY, 0x1234));
    assertArrayEquals(new long[] {0, START_PENDING}, f.call(0, HSM, 2, 1));
    assertFalse(f.hart(1).parked());
    assertTrue(f.hart(1).wakeable(), "a pending start makes it runnable");
    f.run(1, 10);
    assertEquals(ENTRY, f.hart(1).pc());
    assertEquals(Privilege.SUPERVISOR, f.hart(1).privilege());
    assertEquals(1, f.hart(1).x(10), "a0 = hart id");
    assertEquals(0x1234, f.hart(1).x(11), "a1 = opaque");
    assertEquals(0, f.hart(1).csr(CsrAddress.SATP));
    assertEquals(0, f.hart(1).csr(CsrAddress.SSTATUS) & 2, "SIE = 0");
    assertArrayEquals(new long[] {0, STARTED}, f.call(0, HSM, 2, 1));
  }

  @Test
  void hartStartRejectsBadHartsAddressesAndStartedHarts() {
    f.hart(1).stop();
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, HSM, 0, 2, ENTRY, 0)[0]);
    assertEquals(Sbi.ERR_INVALID_ADDRESS, f.call(0, HSM, 0, 1, 0x1000, 0)[0]);
    assertEquals(Sbi.ERR_ALREADY_AVAILABLE, f.call(0, HSM, 0, 0, ENTRY, 0)[0], "hart 0 runs");
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, HSM, 2, 5)[0], "status of hart 5");
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, HSM, 7)[0]);
  }

  @Test
  void hartStopStopsTheCallingHart() {
    f.call(1, HSM, 1);
    assertTrue(f.hart(1).parked());
    assertArrayEquals(new long[] {0, STOPPED}, f.call(0, HSM, 2, 1));
    long retired = f.hart(1).retired();
    assertInstanceOf(VcpuExit.WaitForInterrupt.class, f.run(1, 100));
    assertEquals(retired, f.hart(1).retired());
  }

  @Test
  void retentiveSuspendWaitsForAnInterruptAndReturnsSuccess() {
    Asm program = new Asm(ENTRY).li(Asm.T0, 2).csrw(CsrAddress.SIE, Asm.T0) // SSIE
        .li(17, HSM).li(16, 3).li(Asm.A0, 0).li(Asm.A1, 77).ecall();
    long afterEcall = program.here();
    f.place(program.halt());
    SbiFixture.jump(f.hart(0), ENTRY);
    assertInstanceOf(VcpuExit.WaitForInterrupt.class, f.run(0, 100));
    assertEquals(SUSPENDED, f.hart(0).hsmState());
    assertEquals(afterEcall, f.hart(0).pc());
    assertFalse(f.hart(0).wakeable());
    f.hart(0).postSupervisorSoftwareInterrupt();
    assertTrue(f.hart(0).wakeable());
    f.run(0, 1);
    assertEquals(STARTED, f.hart(0).hsmState(), "an interrupt resumes it");
    assertEquals(0, f.hart(0).x(Asm.A0), "SBI_SUCCESS");
    assertEquals(afterEcall, f.hart(0).pc(), "sstatus.SIE = 0: resumes after the ECALL, no trap");
  }

  @Test
  void nonRetentiveSuspendResumesAtTheResumeAddress() {
    f.place(new Asm(ENTRY).halt());
    f.call(0, HSM, 3, 0x8000_0000L, ENTRY, 0xABCD);
    assertEquals(SUSPENDED, f.hart(0).hsmState());
    f.call(1, 0x735049, 0, 1, 0); // an IPI from hart 1
    assertFalse(f.hart(0).wakeable(), "SSIE clear: still suspended");
    f.run(0, 10);
    assertEquals(SUSPENDED, f.hart(0).hsmState());
    assertEquals(ENTRY, f.hart(0).pc());
    assertEquals(0, f.hart(0).x(10), "a0 = hart id");
    assertEquals(0xABCD, f.hart(0).x(11), "a1 = opaque");
  }

  @Test
  void suspendRejectsReservedAndPlatformTypes() {
    assertEquals(Sbi.ERR_INVALID_PARAM, f.call(0, HSM, 3, 2, 0, 0)[0]);
    assertEquals(Sbi.ERR_NOT_SUPPORTED, f.call(0, HSM, 3, 0x1000_0000L, 0, 0)[0]);
    assertEquals(Sbi.ERR_INVALID_ADDRESS, f.call(0, HSM, 3, 0x8000_0000L, 0x10, 0)[0]);
    assertEquals(STARTED, f.hart(0).hsmState());
  }
}
