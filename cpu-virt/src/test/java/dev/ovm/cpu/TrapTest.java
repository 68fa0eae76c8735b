package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static dev.ovm.cpu.CsrAddress.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.VcpuExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Synchronous exceptions, delegation, trap return and the privileged instructions (Priv 3.1–3.3). */
class TrapTest {
  private static final long S_CODE = HartFixture.CODE + 0x400;
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  /** Runs {@code setup} in M-mode, then drops to {@code priv} at S_CODE running {@code body}. */
  private void runIn(int priv, Asm setup, Asm body) {
    setup.enterMode(priv, S_CODE);
    f.place(setup);
    f.place(body);
    f.hart.reset(HartFixture.CODE);
    f.runMore();
  }

  private Asm body() {
    return new Asm(S_CODE);
  }

  @Test
  void ecallFromEachMode() {
    Asm a = f.program();
    long at = a.here();
    a.ecall();
    f.run(a);
    f.assertTrap(Cause.ECALL_FROM_M, 0);
    assertEquals(at, f.hart.csr(MEPC));

    runIn(Privilege.S, f.program(), body().ecall());
    f.assertTrap(Cause.ECALL_FROM_S, 0);
    assertEquals(S_CODE, f.hart.csr(MEPC));
    assertEquals(1L << 11, f.hart.csr(MSTATUS) & 3L << 11, "MPP = S");

    runIn(Privilege.U, f.program(), body().ecall());
    f.assertTrap(Cause.ECALL_FROM_U, 0);
    assertEquals(0, f.hart.csr(MSTATUS) & 3L << 11, "MPP = U");
  }

  @Test
  void breakpointHasThePcAsTval() {
    Asm a = f.program();
    long at = a.here();
    a.ebreak();
    f.run(a);
    f.assertTrap(Cause.BREAKPOINT, at);
  }

  @Test
  void accessFaultsCarryTheAddress() {
    Asm a = f.program();
    a.li(S0, 0x1000).ld(A0, S0, 8);
    f.run(a);
    f.assertTrap(Cause.LOAD_ACCESS_FAULT, 0x1008);

    a = f.program();
    a.li(S0, 0x1000).sw(A0, S0, 4);
    f.run(a);
    f.assertTrap(Cause.STORE_ACCESS_FAULT, 0x1004);

    a = f.program();
    a.li(S0, 0x4000).jalr(ZERO, S0, 0);
    f.run(a);
    f.assertTrap(Cause.INSTRUCTION_ACCESS_FAULT, 0x4000);

    a = f.program();
    a.li(S0, HartFixture.RAM_BASE + HartFixture.RAM_SIZE - 4).ld(A0, S0, 0); // straddles RAM end
    f.run(a);
    f.assertTrap(Cause.LOAD_ADDRESS_MISALIGNED, HartFixture.RAM_BASE + HartFixture.RAM_SIZE - 4);
  }

  @Test
  void misalignedLoadsAndStoresTrap() {
    Asm a = f.program();
    a.li(S0, HartFixture.DATA + 1).load(1, A0, S0, 0);
    f.run(a);
    f.assertTrap(Cause.LOAD_ADDRESS_MISALIGNED, HartFixture.DATA + 1);

    a = f.program();
    a.li(S0, HartFixture.DATA + 2).sw(A0, S0, 0);
    f.run(a);
    f.assertTrap(Cause.STORE_ADDRESS_MISALIGNED, HartFixture.DATA + 2);

    a = f.program();
    a.li(S0, HartFixture.DATA + 4).sd(A0, S0, 0);
    f.run(a);
    f.assertTrap(Cause.STORE_ADDRESS_MISALIGNED, HartFixture.DATA + 4);
  }

  @Test
  void delegatedExceptionGoesToSupervisor() {
    Asm setup = f.program();
    setup.li(T1, 1L << Cause.ECALL_FROM_U | 1L << Cause.ILLEGAL_INSTRUCTION).csrw(MEDELEG, T1);
    runIn(Privilege.U, setup, body().ecall());
    f.assertSupervisorTrap(Cause.ECALL_FROM_U, 0);
    assertEquals(S_CODE, f.hart.csr(SEPC));
    assertEquals(0, f.hart.csr(SSTATUS) & 1 << 8, "SPP = U");

    // an illegal instruction in S-mode is delegated too; ecall from S is not
    setup = f.program();
    setup.li(T1, 1L << Cause.ILLEGAL_INSTRUCTION).csrw(MEDELEG, T1);
    setup.li(T1, 1 << 1).csrs(ZERO, MSTATUS, T1); // SIE=1: trap entry moves it to SPIE
    runIn(Privilege.S, setup, body().word(0xFFFF_FFFF));
    f.assertSupervisorTrap(Cause.ILLEGAL_INSTRUCTION, 0xFFFF_FFFFL);
    long sstatus = f.hart.csr(SSTATUS);
    assertEquals(1 << 8, sstatus & 1 << 8, "SPP = S");
    assertEquals(1 << 5, sstatus & 1 << 5, "SPIE = old SIE");
    assertEquals(0, sstatus & 1 << 1, "SIE cleared");
  }

  @Test
  void exceptionsInMachineModeAreNeverDelegated() {
    Asm a = f.program();
    a.li(T1, -1).csrw(MEDELEG, T1).ebreak();
    f.run(a);
    assertEquals(HartFixture.HALT, f.hart.pc());
    assertEquals(Cause.BREAKPOINT, f.hart.csr(MCAUSE));
  }

  @Test
  void mretRestoresStateFromMstatus() {
    Asm a = f.program();
    // MPIE=1, MPP=U, MPRV=1; then mret
    a.li(T1, 1 << 7 | 1 << 17).csrs(ZERO, MSTATUS, T1);
    a.enterMode(Privilege.U, S_CODE);
    f.place(a);
    f.place(body().halt());
    f.hart.reset(HartFixture.CODE);
    f.runMore();
    assertEquals(Privilege.USER, f.hart.privilege());
    assertEquals(S_CODE, f.hart.pc());
    long mstatus = f.hart.csr(MSTATUS);
    assertEquals(1 << 3, mstatus & 1 << 3, "MIE = old MPIE");
    assertEquals(1 << 7, mstatus & 1 << 7, "MPIE = 1");
    assertEquals(0, mstatus & 3L << 11, "MPP = U");
    assertEquals(0, mstatus & 1 << 17, "MPRV cleared when leaving M");
  }

  @Test
  void sretReturnsToSppAndRestoresSie() {
    Asm setup = f.program();
    setup.li(T1, S_CODE + 0x100).csrw(SEPC, T1);
    setup.li(T1, 1 << 5).csrs(ZERO, MSTATUS, T1); // SPIE=1, SPP=U
    f.place(new Asm(S_CODE + 0x100).halt());
    runIn(Privilege.S, setup, body().sret());
    assertEquals(S_CODE + 0x100, f.hart.pc());
    assertEquals(Privilege.USER, f.hart.privilege());
    long sstatus = f.hart.csr(SSTATUS);
    assertEquals(1 << 1, sstatus & 1 << 1, "SIE = old SPIE");
    assertEquals(1 << 5, sstatus & 1 << 5, "SPIE = 1");
  }

  @Test
  void privilegedInstructionsAreIllegalWhereTheSpecSays() {
    int[] userIllegal = {0x1020_0073, 0x3020_0073, 0x1050_0073, 0x1200_0073}; // sret mret wfi sfence
    for (int insn : userIllegal) {
      runIn(Privilege.U, f.program(), body().word(insn));
      f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn & 0xFFFF_FFFFL);
    }
    runIn(Privilege.S, f.program(), body().mret());
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0x3020_0073L);
  }

  @Test
  void tsrTrapsSret() {
    Asm setup = f.program();
    setup.li(T1, 1 << 22).csrs(ZERO, MSTATUS, T1);
    runIn(Privilege.S, setup, body().sret());
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0x1020_0073L);
  }

  @Test
  void tvmTrapsSatpAndSfence() {
    Asm setup = f.program();
    setup.li(T1, 1 << 20).csrs(ZERO, MSTATUS, T1);
    runIn(Privilege.S, setup, body().csrr(A0, SATP));
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, (0x73 | 2 << 12 | A0 << 7 | SATP << 20) & 0xFFFF_FFFFL);

    setup = f.program();
    setup.li(T1, 1 << 20).csrs(ZERO, MSTATUS, T1);
    runIn(Privilege.S, setup, body().sfenceVma(0, 0));
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0x1200_0073L);

    runIn(Privilege.S, f.program(), body().sfenceVma(0, 0).csrr(A0, SATP).li(A1, 7).halt());
    assertEquals(7, f.hart.x(A1), "allowed without TVM");
  }

  @Test
  void wfiReturnsAnExitAndResumesAfterIt() {
    Asm a = f.program();
    a.li(T1, 1 << 7).csrw(MIE, T1); // MTIE, but MIE (global) stays 0
    a.wfi().li(A0, 5).halt();
    place(a);
    VcpuExit exit = f.hart.run(1000);
    assertSame(VcpuExit.WFI, exit);
    assertTrue(!f.hart.wakeable());
    f.hart.interruptLine(Cause.MTI).set(true);
    assertTrue(f.hart.wakeable());
    f.runMore();
    assertEquals(5, f.hart.x(A0), "resumed after WFI without taking the disabled interrupt");
  }

  @Test
  void wfiWithPendingInterruptIsANop() {
    f.hart.interruptLine(Cause.MSI).set(true);
    Asm a = f.program();
    a.li(T1, 1 << 3).csrw(MIE, T1).wfi().li(A0, 5).halt();
    f.run(a);
    assertEquals(5, f.hart.x(A0));
  }

  @Test
  void timeoutWaitTrapsWfiBelowMachineMode() {
    Asm setup = f.program();
    setup.li(T1, 1 << 21).csrs(ZERO, MSTATUS, T1);
    runIn(Privilege.S, setup, body().wfi());
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, 0x1050_0073L);
  }

  @Test
  void stuckTrapLoopIsFatal() {
    Asm a = f.asm();
    a.li(T0, 0).csrw(MTVEC, T0).ebreak(); // mtvec = 0: nothing there
    place(a);
    VcpuExit exit = f.hart.run(1000);
    VcpuExit.Fatal fatal = assertInstanceOf(VcpuExit.Fatal.class, exit);
    assertTrue(fatal.reason().contains("cause 1"), fatal.reason());
    assertTrue(fatal.reason().contains("pc 0x0"), fatal.reason());
  }

  private void place(Asm a) {
    f.place(a);
    f.hart.reset(HartFixture.CODE);
  }
}
