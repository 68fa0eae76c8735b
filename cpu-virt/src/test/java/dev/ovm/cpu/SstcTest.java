package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static dev.ovm.cpu.CsrAddress.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.VcpuExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sstc (Sstc spec 1.0, Priv 1.12+): stimecmp drives STIP when menvcfg.STCE is set, is hidden from
 * S-mode when it is clear or mcounteren.TM is clear, makes mip.STIP read-only, wakes a waiting
 * hart, and the {@code time} CSR follows mcounteren/scounteren.TM.
 */
class SstcTest {
  private static final long STCE = 1L << 63;
  private static final long STIP = 1L << Cause.STI;
  private static final long TM = 1L << 1;
  private static final long S_CODE = HartFixture.CODE + 0x400;
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** M-mode: menvcfg = {@code menvcfg}, mcounteren = {@code mcounteren}, stimecmp = {@code compare}. */
  private Asm machineSetup(long menvcfg, long mcounteren, long compare) {
    Asm a = f.program();
    a.li(T1, menvcfg).csrw(MENVCFG, T1);
    a.li(T1, mcounteren).csrw(MCOUNTEREN, T1);
    a.li(T1, compare).csrw(STIMECMP, T1);
    return a;
  }

  @Test
  void stimecmpRaisesStipExactlyWhenTimeReachesIt() {
    Asm a = machineSetup(STCE, 0, 1000);
    f.run(a.halt());
    assertEquals(1000, f.hart.csr(STIMECMP));
    assertEquals(1000, f.hart.timerDeadline());
    f.clock.idleUntil(999);
    assertEquals(0, f.hart.csr(MIP) & STIP, "time 999 < stimecmp");
    f.clock.idleUntil(1000);
    assertEquals(STIP, f.hart.csr(MIP) & STIP, "time 1000 >= stimecmp");
    assertEquals(Long.MAX_VALUE, f.hart.timerDeadline(), "fired, and STIE clear: nothing to wait for");
  }

  @Test
  void stimecmpComparesUnsigned() {
    f.run(machineSetup(STCE, 0, -2L).halt()); // 2^64 - 2: never reached
    f.clock.idleUntil(Long.MAX_VALUE);
    assertEquals(0, f.hart.csr(MIP) & STIP);
  }

  @Test
  void withStceClearStimecmpDoesNotDriveStipAndSoftwareOwnsIt() {
    Asm a = machineSetup(0, 0, 0); // stimecmp = 0 <= time, but STCE = 0
    a.li(T1, STIP).csrs(ZERO, MIP, T1).csrr(A0, MIP).halt();
    f.run(a);
    assertEquals(STIP, f.hart.x(A0) & STIP, "STIP is the software bit again");
    assertEquals(Long.MAX_VALUE, f.hart.timerDeadline());
    Asm b = machineSetup(0, 0, 0);
    f.run(b.halt());
    assertEquals(0, f.hart.csr(MIP) & STIP, "time >= stimecmp does not matter");
  }

  @Test
  void withStceSetMipStipIsReadOnly() {
    Asm a = machineSetup(STCE, 0, -1L);
    a.li(T1, STIP).csrs(ZERO, MIP, T1).csrr(A0, MIP).halt();
    f.run(a);
    assertEquals(0, f.hart.x(A0) & STIP, "the write is ignored: the comparator owns STIP");
  }

  /** S-mode reads stimecmp into a1 (a2 = 1 if it got that far). */
  private void supervisorReadsStimecmp(long menvcfg, long mcounteren) {
    Asm a = machineSetup(menvcfg, mcounteren, 1234);
    a.enterMode(Privilege.S, S_CODE);
    f.place(new Asm(S_CODE).csrr(A1, STIMECMP).li(A2, 1).halt());
    f.run(a);
  }

  @Test
  void supervisorAccessNeedsStceAndTm() {
    supervisorReadsStimecmp(STCE, TM);
    assertEquals(1234, f.hart.x(A1));
    assertEquals(1, f.hart.x(A2));

    supervisorReadsStimecmp(0, TM);
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0x14D0_25F3L); // csrr a1, stimecmp
    supervisorReadsStimecmp(STCE, 0);
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0x14D0_25F3L);
  }

  @Test
  void userModeNeverReachesStimecmp() {
    Asm a = machineSetup(STCE, -1L, 0);
    a.li(T1, -1L).csrw(SCOUNTEREN, T1);
    a.enterMode(Privilege.U, S_CODE);
    f.place(new Asm(S_CODE).csrr(A1, STIMECMP).halt());
    f.run(a);
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0x14D0_25F3L);
  }

  @Test
  void timeCsrFollowsCounteren() {
    f.clock.idleUntil(77);
    Asm a = machineSetup(0, TM, -1L);
    a.enterMode(Privilege.S, S_CODE);
    f.place(new Asm(S_CODE).csrr(A1, TIME).halt());
    f.run(a);
    assertEquals(77, f.hart.x(A1), "S-mode with mcounteren.TM");

    a = machineSetup(0, 0, -1L);
    a.enterMode(Privilege.S, S_CODE);
    f.run(a);
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0xC010_25F3L); // csrr a1, time

    a = machineSetup(0, TM, -1L); // scounteren.TM = 0: U-mode may not
    a.enterMode(Privilege.U, S_CODE);
    f.run(a);
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0xC010_25F3L);

    a = machineSetup(0, TM, -1L);
    a.li(T1, TM).csrw(SCOUNTEREN, T1);
    a.enterMode(Privilege.U, S_CODE);
    f.run(a);
    assertEquals(77, f.hart.x(A1), "U-mode with both TM bits");
  }

  @Test
  void aWaitingHartWakesWhenStimecmpFiresAndTakesTheTimerInterruptInSupervisorMode() {
    Asm a = machineSetup(STCE, TM, 500);
    a.li(T1, STIP).csrw(MIDELEG, T1).csrw(MIE, T1); // STIE, delegated
    a.enterMode(Privilege.S, S_CODE);
    f.place(new Asm(S_CODE).li(T1, 2).csrs(ZERO, SSTATUS, T1).wfi().halt()); // SIE = 1
    f.place(a);
    f.hart.reset(HartFixture.CODE);
    VcpuExit exit = f.hart.run(1000);
    assertInstanceOf(VcpuExit.WaitForInterrupt.class, exit);
    assertFalse(f.hart.wakeable());
    assertEquals(500, f.hart.timerDeadline(), "the VMM's idle loop jumps the clock here");
    f.clock.idleUntil(f.hart.timerDeadline());
    assertTrue(f.hart.wakeable());
    assertEquals(500, f.hart.timerDeadline(), "fired and able to wake the hart: still due");
    f.hart.run(10);
    f.assertSupervisorTrap(Cause.INTERRUPT | Cause.STI, 0);
  }

  @Test
  void aHartWithoutSstcHasNoStimecmpAndNoStce() {
    f.hart.setSstc(false);
    Asm a = f.program();
    a.li(T1, -1L).csrw(MENVCFG, T1).csrr(A0, MENVCFG).csrr(A1, STIMECMP).halt();
    f.run(a);
    assertEquals(1, f.hart.x(A0), "menvcfg: FIOM only");
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0x14D0_25F3L); // even M-mode: the CSR does not exist
  }

  @Test
  void resetTurnsTheComparatorOff() {
    f.run(machineSetup(STCE, 0, 0).halt());
    assertEquals(STIP, f.hart.csr(MIP) & STIP);
    f.hart.reset(HartFixture.CODE);
    assertEquals(0, f.hart.csr(MIP) & STIP);
    assertEquals(-1L, f.hart.csr(STIMECMP));
    assertEquals(0, f.hart.csr(MENVCFG));
  }
}
