package dev.ovm.cpu;

/**
 * Trap entry, trap return and interrupt selection (Priv spec 3.1.6.1, 3.1.7, 3.1.9, 3.3.2, 4.1.1).
 *
 * <p>Entry: a trap from privilege p goes to S-mode if p &lt;= S and the cause's bit is set in
 * medeleg (exceptions) or mideleg (interrupts), otherwise to M-mode. The target's xepc gets the pc
 * of the trapping instruction, xcause the cause (bit 63 for interrupts), xtval the trap value,
 * xPP the old privilege, xPIE the old xIE, and xIE is cleared. The new pc is xtvec's base, plus
 * 4 × cause for interrupts when xtvec.MODE is Vectored. Any trap drops the LR reservation.
 */
final class Traps {
  /** Interrupt priority, highest first (Priv 3.1.9): MEI, MSI, MTI, SEI, SSI, STI. */
  private static final int[] PRIORITY = {
    Cause.MEI, Cause.MSI, Cause.MTI, Cause.SEI, Cause.SSI, Cause.STI
  };
  private static final long TVEC_MODE_MASK = 3;
  private static final long TVEC_VECTORED = 1;

  private final HartState s;
  private final MemoryAccess memory;

  Traps(HartState state, MemoryAccess memory) {
    this.s = state;
    this.memory = memory;
  }

  /** Takes the synchronous exception recorded in the state (trapCause/trapValue) at pc. */
  void takeException() {
    enter(s.trapCause, s.trapValue, false);
  }

  /** Takes interrupt {@code cause} (an mip bit number) at pc, with tval 0. */
  void takeInterrupt(int cause) {
    enter(cause, 0, true);
  }

  /** True if exception {@code cause} raised at the current privilege would trap to M-mode. */
  boolean targetsMachine(int cause) {
    return s.priv == Privilege.M || ((s.medeleg >> cause) & 1) == 0;
  }

  private void enter(int cause, long tval, boolean interrupt) {
    long delegation = interrupt ? s.mideleg : s.medeleg;
    long causeValue = interrupt ? (cause | Cause.INTERRUPT) : cause;
    s.reservationAddress = -1;
    if (s.priv <= Privilege.S && ((delegation >> cause) & 1) != 0) {
      s.sepc = s.pc;
      s.scause = causeValue;
      s.stval = tval;
      long status = s.mstatus & ~(Mstatus.SPIE | Mstatus.SIE | Mstatus.SPP);
      if ((s.mstatus & Mstatus.SIE) != 0) {
        status |= Mstatus.SPIE;
      }
      if (s.priv == Privilege.S) {
        status |= Mstatus.SPP;
      }
      s.mstatus = status;
      s.priv = Privilege.S;
      s.pc = target(s.stvec, cause, interrupt);
    } else {
      s.mepc = s.pc;
      s.mcause = causeValue;
      s.mtval = tval;
      long status = s.mstatus & ~(Mstatus.MPIE | Mstatus.MIE | Mstatus.MPP);
      if ((s.mstatus & Mstatus.MIE) != 0) {
        status |= Mstatus.MPIE;
      }
      status |= (long) s.priv << Mstatus.MPP_SHIFT;
      s.mstatus = status;
      s.priv = Privilege.M;
      s.pc = target(s.mtvec, cause, interrupt);
    }
    memory.updateContexts();
  }

  private static long target(long tvec, int cause, boolean interrupt) {
    long base = tvec & ~TVEC_MODE_MASK;
    if (interrupt && (tvec & TVEC_MODE_MASK) == TVEC_VECTORED) {
      return base + 4L * cause;
    }
    return base;
  }

  /**
   * The interrupt to take now, or -1 (Priv 3.1.9): pending and enabled in mie, and globally
   * enabled for its target mode — always when the hart runs below that mode, only with xIE set
   * when it runs in that mode, never when it runs above it.
   */
  int pendingInterrupt() {
    long pending = s.mip() & s.mie;
    if (pending == 0) {
      return -1;
    }
    long machine = pending & ~s.mideleg;
    boolean machineEnabled = s.priv < Privilege.M || (s.mstatus & Mstatus.MIE) != 0;
    if (machineEnabled && machine != 0) {
      return highest(machine);
    }
    long supervisor = pending & s.mideleg;
    boolean supervisorEnabled =
        s.priv < Privilege.S || (s.priv == Privilege.S && (s.mstatus & Mstatus.SIE) != 0);
    if (supervisorEnabled && supervisor != 0) {
      return highest(supervisor);
    }
    return -1;
  }

  private static int highest(long bits) {
    for (int cause : PRIORITY) {
      if (((bits >> cause) & 1) != 0) {
        return cause;
      }
    }
    return -1;
  }

  /**
   * MRET (Priv 3.3.2): privilege ← MPP, MIE ← MPIE, MPIE ← 1, MPP ← U, and MPRV ← 0 if the new
   * privilege is not M. The caller has checked that the hart is in M-mode.
   */
  void mret() {
    long status = s.mstatus;
    int previous = (int) ((status & Mstatus.MPP) >>> Mstatus.MPP_SHIFT);
    status &= ~(Mstatus.MIE | Mstatus.MPP);
    if ((s.mstatus & Mstatus.MPIE) != 0) {
      status |= Mstatus.MIE;
    }
    status |= Mstatus.MPIE;
    if (previous != Privilege.M) {
      status &= ~Mstatus.MPRV;
    }
    s.mstatus = status;
    s.priv = previous;
    s.pc = s.mepc;
    s.reservationAddress = -1;
    memory.updateContexts();
  }

  /**
   * SRET (Priv 3.3.2): privilege ← SPP, SIE ← SPIE, SPIE ← 1, SPP ← U, MPRV ← 0 (the new
   * privilege is never M). The caller has checked privilege and mstatus.TSR.
   */
  void sret() {
    long status = s.mstatus;
    int previous = (status & Mstatus.SPP) != 0 ? Privilege.S : Privilege.U;
    status &= ~(Mstatus.SIE | Mstatus.SPP | Mstatus.MPRV);
    if ((s.mstatus & Mstatus.SPIE) != 0) {
      status |= Mstatus.SIE;
    }
    status |= Mstatus.SPIE;
    s.mstatus = status;
    s.priv = previous;
    s.pc = s.sepc;
    s.reservationAddress = -1;
    memory.updateContexts();
  }
}
