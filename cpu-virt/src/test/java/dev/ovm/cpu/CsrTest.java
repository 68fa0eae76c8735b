package dev.ovm.cpu;

import static dev.ovm.cpu.Asm.*;
import static dev.ovm.cpu.CsrAddress.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ovm.vmm.device.IrqLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Zicsr and the CSR file's access rules and WARL behaviour (Priv chapters 2–4). */
class CsrTest {
  private final HartFixture f = new HartFixture();

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void readWriteSetClearAndImmediateForms() {
    Asm a = f.program();
    a.li(A0, 0xF0).csrrw(A1, MSCRATCH, A0); // old 0
    a.li(A0, 0x0F).csrrs(A2, MSCRATCH, A0); // old F0, now FF
    a.li(A0, 0x3C).csrrc(A3, MSCRATCH, A0); // old FF, now C3
    a.csr(5, A4, MSCRATCH, 7); // csrrwi: old C3, now 7
    a.csr(6, A5, MSCRATCH, 8); // csrrsi: old 7, now F
    a.csr(7, T3, MSCRATCH, 1); // csrrci: old F, now E
    a.csrr(T4, MSCRATCH);
    a.halt();
    f.run(a);
    assertEquals(0, f.hart.x(A1));
    assertEquals(0xF0, f.hart.x(A2));
    assertEquals(0xFF, f.hart.x(A3));
    assertEquals(0xC3, f.hart.x(A4));
    assertEquals(7, f.hart.x(A5));
    assertEquals(0xF, f.hart.x(T3));
    assertEquals(0xE, f.hart.x(T4));
  }

  @Test
  void machineInformationRegisters() {
    assertEquals(0x8000_0000_0014_112DL, f.hart.csr(MISA), "RV64 ACDFIMSU");
    assertEquals(0, f.hart.csr(MHARTID));
    assertEquals(0, f.hart.csr(MVENDORID));
    assertEquals(0, f.hart.csr(MARCHID));
    assertEquals(0, f.hart.csr(MIMPID));
    assertEquals(2L << 32 | 2L << 34, f.hart.csr(MSTATUS), "UXL=SXL=2 at reset");
  }

  @Test
  void mstatusWarl() {
    Asm a = f.program();
    a.li(A0, -1).csrw(MSTATUS, A0).csrr(A1, MSTATUS);
    a.li(A0, 2L << 11).csrw(MSTATUS, A0).csrr(A2, MSTATUS); // MPP=2 is reserved: keeps M
    a.halt();
    f.run(a);
    long writable = 0x7E19AAL & ~0x18000L | 3L << 11; // SIE MIE SPIE MPIE SPP MPP MPRV SUM MXR TVM TW TSR
    // FS writable (all ones = Dirty, so SD reads 1); no VS/XS; UXL/SXL fixed
    assertEquals(1L << 63 | 2L << 32 | 2L << 34 | 0x7E19AAL | 3L << 13, f.hart.x(A1));
    assertEquals(2L << 32 | 2L << 34 | 3L << 11, f.hart.x(A2));
    assertEquals(0x7E19AAL, writable & 0x7E19AAL);
  }

  @Test
  void sstatusIsAViewOfMstatus() {
    Asm a = f.program();
    a.li(A0, -1).csrw(MSTATUS, A0).csrr(A1, SSTATUS);
    a.li(A0, 0).csrw(SSTATUS, A0).csrr(A2, MSTATUS);
    a.halt();
    f.run(a);
    assertEquals(1L << 63 | 2L << 32 | 1 << 1 | 1 << 5 | 1 << 8 | 3 << 13 | 1 << 18 | 1 << 19,
        f.hart.x(A1), "SD and FS=Dirty visible through sstatus");
    // clearing sstatus leaves the M-only fields (MIE, MPIE, MPP, MPRV, TVM, TW, TSR); FS=Off clears SD
    assertEquals(2L << 32 | 2L << 34 | 1 << 3 | 1 << 7 | 3 << 11 | 1 << 17 | 7 << 20, f.hart.x(A2));
  }

  @Test
  void nonexistentCsrIsIllegal() {
    Asm a = f.program();
    long insn = 0x73 | 2 << 12 | A0 << 7 | 0x7A0 << 20; // csrr a0, tselect (no triggers)
    a.word((int) insn).halt();
    f.run(a);
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn);
    assertThrows(IllegalArgumentException.class, () -> f.hart.csr(0x7A0));
  }

  @Test
  void writingAReadOnlyCsrIsIllegalButReadingIsFine() {
    Asm a = f.program();
    a.csrr(A0, MHARTID).csr(6, A1, MHARTID, 0); // csrrsi with uimm 0 does not write
    long insn = (0x73 | 1 << 12 | A0 << 15 | MHARTID << 20) & 0xFFFF_FFFFL; // csrw mhartid, a0
    a.word((int) insn).halt();
    f.run(a);
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn);
  }

  @Test
  void privilegeBitsOfTheAddressAreEnforced() {
    Asm a = f.program();
    a.enterMode(Privilege.S, HartFixture.CODE + 0x400);
    f.place(a);
    Asm s = new Asm(HartFixture.CODE + 0x400);
    s.csrr(A0, SSCRATCH); // fine in S
    long insn = 0x73 | 2 << 12 | A1 << 7 | MSCRATCH << 20; // csrr a1, mscratch
    s.word((int) insn);
    f.place(s);
    f.hart.reset(HartFixture.CODE);
    f.runMore();
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn);
    assertEquals(1L << 11, f.hart.csr(MSTATUS) & 3L << 11, "MPP = S");
  }

  @Test
  void unsupportedSatpModeIsIgnoredEntirely() {
    Asm a = f.program();
    a.li(A0, 8L << 60 | 5L << 44 | 0x1234).csrw(SATP, A0).csrr(A1, SATP);
    a.li(A0, 9L << 60 | 7L << 44 | 0x99).csrw(SATP, A0).csrr(A2, SATP); // Sv48: ignored
    a.li(A0, 0).csrw(SATP, A0).csrr(A3, SATP);
    a.halt();
    f.run(a);
    assertEquals(8L << 60 | 5L << 44 | 0x1234, f.hart.x(A1));
    assertEquals(8L << 60 | 5L << 44 | 0x1234, f.hart.x(A2));
    assertEquals(0, f.hart.x(A3));
  }

  @Test
  void pmpRegistersReadZeroAndIgnoreWrites() {
    Asm a = f.program();
    a.li(A0, -1).csrw(PMPADDR0, A0).csrr(A1, PMPADDR0).csrw(PMPCFG0, A0).csrr(A2, PMPCFG0);
    a.csrw(0x3EF, A0).csrr(A3, 0x3EF); // pmpaddr63
    long insn = 0x73 | 2 << 12 | A4 << 7 | 0x3A1 << 20; // pmpcfg1 does not exist on RV64
    a.word((int) insn).halt();
    f.run(a);
    assertEquals(0, f.hart.x(A1));
    assertEquals(0, f.hart.x(A2));
    assertEquals(0, f.hart.x(A3));
    f.assertTrap(Cause.ILLEGAL_INSTRUCTION, insn);
  }

  @Test
  void trapVectorAndEpcLegalization() {
    Asm a = f.program();
    a.li(A0, 0x8000_1003L).csrw(STVEC, A0).csrr(A1, STVEC); // mode 3 reserved: ignored
    a.li(A0, 0x8000_1001L).csrw(STVEC, A0).csrr(A2, STVEC);
    a.li(A0, 0x8000_1235L).csrw(MEPC, A0).csrr(A3, MEPC);
    a.csrw(SEPC, A0).csrr(A4, SEPC);
    a.halt();
    f.run(a);
    assertEquals(HartFixture.S_HALT, f.hart.x(A1));
    assertEquals(0x8000_1001L, f.hart.x(A2));
    assertEquals(0x8000_1234L, f.hart.x(A3));
    assertEquals(0x8000_1234L, f.hart.x(A4));
  }

  @Test
  void delegationAndInterruptEnableMasks() {
    Asm a = f.program();
    a.li(A0, -1).csrw(MEDELEG, A0).csrr(A1, MEDELEG);
    a.csrw(MIDELEG, A0).csrr(A2, MIDELEG);
    a.csrw(MIE, A0).csrr(A3, MIE).csrr(A4, SIE);
    a.li(A0, 0).csrw(MIDELEG, A0).csrr(A5, SIE);
    a.li(A0, -1).csrw(MENVCFG, A0).csrr(T3, MENVCFG);
    a.halt();
    f.run(a);
    assertEquals(0xB3FF, f.hart.x(A1), "ecall from M and reserved causes are not delegable");
    assertEquals(0x222, f.hart.x(A2));
    assertEquals(0xAAA, f.hart.x(A3));
    assertEquals(0x222, f.hart.x(A4));
    assertEquals(0, f.hart.x(A5), "sie shows only delegated interrupts");
    assertEquals(1L << 63 | 1, f.hart.x(T3), "menvcfg: FIOM and STCE (Sstc)");
  }

  @Test
  void mipSoftwareBitsAndDeviceLines() {
    f.hart.interruptLine(Cause.SEI).set(true);
    Asm a = f.program();
    a.csrr(A0, MIP);
    a.li(T1, 0xFFF).csrw(MIP, T1).csrr(A1, MIP); // only SSIP, STIP, SEIP are writable
    a.li(T1, 0).csrw(MIP, T1).csrr(A2, MIP); // SEIP still set by the line
    a.halt();
    f.run(a);
    assertEquals(1 << 9, f.hart.x(A0));
    assertEquals(0x222, f.hart.x(A1));
    assertEquals(1 << 9, f.hart.x(A2));
    f.hart.interruptLine(Cause.SEI).set(false);
    assertEquals(0, f.hart.csr(MIP));
  }

  /**
   * Priv 3.1.9: only the software-writable SEIP bit takes part in the read-modify-write of CSRRS
   * and CSRRC on mip. OpenSBI sets mip.STIP with CSRRS while a device may hold SEIP; if the line's
   * level leaked into the software bit, SEIP would stay set after the device dropped its line and
   * the kernel would take external interrupts forever (the virtio-rng "spin" of issue 4).
   */
  @Test
  void readModifyWriteOfMipDoesNotLatchTheDeviceSeip() {
    IrqLine seip = f.hart.interruptLine(Cause.SEI);
    seip.set(true);
    Asm a = f.program();
    a.li(T1, 1 << 5).csrrs(A0, MIP, T1); // set STIP, as OpenSBI does for an S-mode timer
    a.li(T1, 1 << 1).csrrc(A1, MIP, T1); // clear SSIP: another read-modify-write
    a.halt();
    f.run(a);
    assertEquals(1 << 9, f.hart.x(A0), "the read value is the OR of line and software bit");
    assertEquals(1 << 9 | 1 << 5, f.hart.x(A1));
    seip.set(false);
    assertEquals(1 << 5, f.hart.csr(MIP), "SEIP follows the line once it drops; STIP stays");
  }

  /** A posted SSIP (an SBI IPI) is a software bit: an RMW of another mip bit keeps it. */
  @Test
  void readModifyWriteOfMipKeepsAPostedSsip() {
    Asm a = f.program();
    a.li(T1, 1 << 5).csrrs(A0, MIP, T1); // set STIP while the IPI is posted
    a.csrr(A1, MIP);
    a.li(T1, 1 << 1).csrrc(A2, MIP, T1); // the guest takes the IPI: clear SSIP
    a.csrr(A3, MIP);
    a.halt();
    f.place(a);
    f.hart.reset(HartFixture.CODE);
    f.hart.postSupervisorSoftwareInterrupt(); // from "another hart", after the reset
    f.runMore();
    assertEquals(1 << 1, f.hart.x(A0) & (1 << 1), "SSIP reads as posted");
    assertEquals(1 << 5 | 1 << 1, f.hart.x(A1), "setting STIP did not clear the posted SSIP");
    assertEquals(1 << 5, f.hart.x(A3), "clearing SSIP clears the posted bit");
  }

  @Test
  void countersInMachineMode() {
    f.clock.retired(1234);
    Asm a = f.program();
    a.csrr(A0, INSTRET).csrr(A1, INSTRET).csrr(A2, CYCLE).csrr(A3, TIME);
    a.li(T1, 1000).csrw(MINSTRET, T1).csrr(A4, MINSTRET);
    a.csrr(A5, 0xC03); // hpmcounter3 reads 0
    a.halt();
    f.run(a);
    assertEquals(1, f.hart.x(A1) - f.hart.x(A0));
    assertEquals(f.hart.x(A0) + 2, f.hart.x(A2));
    assertEquals(1234, f.hart.x(A3), "time comes from the clock");
    assertEquals(1000, f.hart.x(A4), "the csrw's own retirement is not counted on top");
    assertEquals(0, f.hart.x(A5));
  }

  /** Reads cycle from S- or U-mode with the given counter enables; returns the trap cause or -1. */
  private long counterAccess(int priv, long mcounteren, long scounteren) {
    Asm a = f.program();
    a.li(T1, mcounteren).csrw(MCOUNTEREN, T1).li(T1, scounteren).csrw(SCOUNTEREN, T1);
    a.enterMode(priv, HartFixture.CODE + 0x400);
    f.place(a);
    f.place(new Asm(HartFixture.CODE + 0x400).csrr(A0, CYCLE).li(A1, 1).halt());
    f.hart.reset(HartFixture.CODE);
    f.runMore();
    return f.hart.pc() == HartFixture.HALT ? f.hart.csr(MCAUSE) : -1;
  }

  @Test
  void counterEnablesGateSupervisorAndUser() {
    assertEquals(Cause.ILLEGAL_INSTRUCTION, counterAccess(Privilege.S, 0, 1));
    assertEquals(-1, counterAccess(Privilege.S, 1, 0));
    assertEquals(Cause.ILLEGAL_INSTRUCTION, counterAccess(Privilege.U, 1, 0));
    assertEquals(Cause.ILLEGAL_INSTRUCTION, counterAccess(Privilege.U, 0, 1));
    assertEquals(-1, counterAccess(Privilege.U, 1, 1));
    assertEquals(Privilege.USER, f.hart.privilege());
  }
}
