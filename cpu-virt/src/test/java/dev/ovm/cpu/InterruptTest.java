package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static dev.ovm.cpu.CsrAddress.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.VcpuExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Interrupt selection, priority, delegation and enables (Priv 3.1.9, 3.1.6.1, 4.1.3). */
class InterruptTest {
  private static final long S_CODE = HartFixture.CODE + 0x400;
  private static final long ALL = 0xAAA;
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  private void lines(int... causes) {
    for (int cause : new int[] {Cause.MSI, Cause.MTI, Cause.SEI, Cause.MEI}) {
      f.hart.interruptLine(cause).set(false);
    }
    for (int cause : causes) {
      f.hart.interruptLine(cause).set(true);
    }
  }

  /** In M-mode with MIE=1 and all of mie set, returns the mcause of the interrupt taken. */
  private long takenInMachineMode(int... causes) {
    lines(causes);
    Asm a = f.program();
    a.li(T1, ALL).csrw(MIE, T1).csrs(ZERO, MSTATUS, T1); // 0xAAA sets MIE (bit 3) among others
    a.halt();
    f.run(a);
    return f.hart.csr(MCAUSE);
  }

  @Test
  void machineInterruptsInPriorityOrder() {
    long interrupt = Cause.INTERRUPT;
    assertEquals(interrupt | Cause.MEI, takenInMachineMode(Cause.MTI, Cause.SEI, Cause.MSI, Cause.MEI));
    assertEquals(interrupt | Cause.MSI, takenInMachineMode(Cause.MTI, Cause.SEI, Cause.MSI));
    assertEquals(interrupt | Cause.MTI, takenInMachineMode(Cause.SEI, Cause.MTI));
    assertEquals(interrupt | Cause.SEI, takenInMachineMode(Cause.SEI));
    assertEquals(HartFixture.HALT, f.hart.pc());
    assertEquals(0, f.hart.csr(MTVAL));
  }

  @Test
  void supervisorSoftwareAndTimerPriority() {
    Asm a = f.program();
    a.li(T1, 1 << 1 | 1 << 5).csrw(MIP, T1); // SSIP and STIP by software
    a.li(T1, ALL).csrw(MIE, T1).csrs(ZERO, MSTATUS, T1);
    a.halt();
    f.run(a);
    assertEquals(Cause.INTERRUPT | Cause.SSI, f.hart.csr(MCAUSE), "SSI before STI");
  }

  @Test
  void machineModeWithMieClearTakesNothing() {
    lines(Cause.MTI);
    Asm a = f.program();
    a.li(T1, ALL).csrw(MIE, T1).li(A0, 1).halt();
    f.run(a);
    assertEquals(1, f.hart.x(A0));
    assertTrue(f.hart.pc() != HartFixture.HALT);
    assertTrue(f.hart.wakeable());
  }

  @Test
  void machineInterruptIsAlwaysEnabledBelowMachineMode() {
    lines(Cause.MTI);
    Asm setup = f.program();
    setup.li(T1, ALL).csrw(MIE, T1); // mstatus.MIE stays 0
    setup.enterMode(Privilege.S, S_CODE);
    f.place(setup);
    f.place(new Asm(S_CODE).halt());
    f.hart.reset(HartFixture.CODE);
    f.runMore();
    assertEquals(HartFixture.HALT, f.hart.pc());
    assertEquals(Cause.INTERRUPT | Cause.MTI, f.hart.csr(MCAUSE));
    assertEquals(S_CODE, f.hart.csr(MEPC));
  }

  /** Delegates STI, sets STIP by software, enters {@code priv} with sstatus.SIE = sie. */
  private void delegatedTimer(int priv, boolean sie) {
    Asm setup = f.program();
    setup.li(T1, 1 << 5).csrw(MIDELEG, T1).csrw(MIE, T1).csrw(MIP, T1);
    if (sie) {
      setup.li(T1, 1 << 1).csrs(ZERO, MSTATUS, T1);
    }
    setup.enterMode(priv, S_CODE);
    f.place(setup);
    f.place(new Asm(S_CODE).li(A0, 1).halt());
    f.hart.reset(HartFixture.CODE);
    f.runMore();
  }

  @Test
  void delegatedInterruptRespectsSieInSupervisorMode() {
    delegatedTimer(Privilege.S, false);
    assertEquals(1, f.hart.x(A0), "not taken with SIE=0");
    assertEquals(Privilege.SUPERVISOR, f.hart.privilege());

    delegatedTimer(Privilege.S, true);
    f.assertSupervisorTrap(Cause.INTERRUPT | Cause.STI, 0);
    assertEquals(S_CODE, f.hart.csr(SEPC));
  }

  @Test
  void delegatedInterruptIsAlwaysEnabledInUserMode() {
    delegatedTimer(Privilege.U, false);
    f.assertSupervisorTrap(Cause.INTERRUPT | Cause.STI, 0);
    assertEquals(0, f.hart.csr(SSTATUS) & 1 << 8, "SPP = U");
  }

  @Test
  void delegatedInterruptIsNeverTakenInMachineMode() {
    Asm a = f.program();
    a.li(T1, 1 << 5).csrw(MIDELEG, T1).csrw(MIE, T1).csrw(MIP, T1);
    a.li(T1, 1 << 3 | 1 << 1).csrs(ZERO, MSTATUS, T1); // MIE and SIE
    a.li(A0, 1).halt();
    f.run(a);
    assertEquals(1, f.hart.x(A0));
  }

  @Test
  void vectoredModeJumpsToBasePlusFourTimesCause() {
    long base = HartFixture.RAM_BASE + 0x3000;
    // one 4-byte slot per cause, each an endless loop
    Asm slots = new Asm(base);
    for (int i = 0; i < 12; i++) {
      slots.halt();
    }
    f.place(slots);
    lines(Cause.MTI);
    Asm a = f.asm();
    a.li(T0, base | 1).csrw(MTVEC, T0).li(T1, ALL).csrw(MIE, T1).csrs(ZERO, MSTATUS, T1);
    a.halt();
    f.run(a);
    assertEquals(base + 4 * Cause.MTI, f.hart.pc());

    // exceptions still go to the base
    lines();
    a = f.asm();
    a.li(T0, base | 1).csrw(MTVEC, T0).ecall();
    f.run(a);
    assertEquals(base, f.hart.pc());
  }

  @Test
  void aRunningHartNoticesALineChange() throws InterruptedException {
    Asm a = f.program();
    a.li(T1, ALL).csrw(MIE, T1).csrs(ZERO, MSTATUS, T1);
    long loop = a.here();
    a.halt();
    f.place(a);
    f.hart.reset(HartFixture.CODE);
    Thread device = new Thread(() -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      f.hart.interruptLine(Cause.MEI).set(true);
    });
    device.start();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (f.hart.pc() != HartFixture.HALT && System.nanoTime() < deadline) {
      f.hart.run(1_000_000);
    }
    device.join();
    assertEquals(HartFixture.HALT, f.hart.pc());
    assertEquals(Cause.INTERRUPT | Cause.MEI, f.hart.csr(MCAUSE));
    assertEquals(loop, f.hart.csr(MEPC));
  }

  @Test
  void requestExitEndsTheQuantumEarly() throws InterruptedException {
    Asm a = f.program();
    a.halt();
    f.place(a);
    f.hart.reset(HartFixture.CODE);
    Thread vmm = new Thread(() -> {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      f.hart.requestExit();
    });
    vmm.start();
    VcpuExit exit = f.hart.run(Long.MAX_VALUE);
    vmm.join();
    assertSame(VcpuExit.QUANTUM, exit);
    assertTrue(f.hart.retired() > 1000, "it ran until asked to stop");
  }

  @Test
  void onlyInterruptBitsHaveLines() {
    assertThrows(IllegalArgumentException.class, () -> f.hart.interruptLine(2));
    assertThrows(IllegalArgumentException.class, () -> f.hart.interruptLine(13));
  }
}
