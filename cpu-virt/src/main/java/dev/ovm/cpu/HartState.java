package dev.ovm.cpu;

import dev.ovm.vmm.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The architectural state of one hart: integer registers, pc, privilege mode, and the CSR values
 * that are plain storage. The units that give the state meaning ({@link CsrFile}, {@link Traps},
 * {@link MemoryAccess}, {@link Interpreter}) share one instance.
 *
 * <p>Threads: everything is touched only by the thread running the hart, except
 * {@link #mipDevice}, {@link #mipPosted}, {@link #mie}, {@link #stimecmp}, {@link
 * #supervisorTimer}, {@link #exitRequested} and {@link #tlbFlushRequested}, which other threads
 * read or write.
 */
final class HartState {
  /** Number of integer registers. */
  static final int REGISTERS = 32;

  final int hartId;
  /** The source of {@code time}, which the Sstc comparator compares with {@link #stimecmp}. */
  final Clock clock;
  /** x0..x31; x[0] is never written and stays 0. */
  final long[] x = new long[REGISTERS];
  long pc;
  /** f0..f31 (Unpriv 20.1, 21.1): 64 bits each, single-precision values NaN-boxed. */
  final long[] f = new long[REGISTERS];
  /** fcsr.fflags, the accrued exception flags (bits 4:0, {@link FloatFlags}). */
  int fflags;
  /** fcsr.frm, the dynamic rounding mode (3 bits; 5..7 are invalid when used). */
  int frm;
  /** Current privilege mode: {@link Privilege#U}, {@link Privilege#S} or {@link Privilege#M}. */
  int priv = Privilege.M;
  /** Instructions retired since reset (drives quanta and {@code Vcpu.retired()}). */
  long retired;

  // Plain CSR storage; CsrFile applies the WARL masks and access rules.
  long mstatus = Mstatus.UXL_64 | Mstatus.SXL_64;
  long medeleg;
  long mideleg;
  /** Volatile so that {@code wakeable()} from another thread sees CSR writes. */
  volatile long mie;
  long mtvec;
  long mcounteren;
  long menvcfg;
  long mscratch;
  long mepc;
  long mcause;
  long mtval;
  long stvec;
  long scounteren;
  long senvcfg;
  long sscratch;
  long sepc;
  long scause;
  long stval;
  /** mcycle minus {@link #retired} (mcycle counts one cycle per instruction). */
  long mcycleDelta;
  /** minstret minus {@link #retired}. */
  long minstretDelta;
  /** The mip bits written by CSR instructions (SSIP, STIP and the software SEIP, Priv 3.1.9). */
  long mipSoftware;
  /** The mip bits driven by interrupt lines from devices. */
  final AtomicLong mipDevice = new AtomicLong();
  /**
   * Software-writable mip bits set by other threads (an SBI IPI's SSIP), folded into {@link
   * #mipSoftware} by the hart's own thread at its next check.
   */
  final AtomicLong mipPosted = new AtomicLong();
  /** stimecmp (Sstc spec 2.1); all ones at reset, so no timer interrupt is pending. */
  volatile long stimecmp = -1L;
  /**
   * True while {@code time >= stimecmp} drives mip.STIP: menvcfg.STCE is set (Sstc spec 2.2), or
   * the VMM's SBI owns the supervisor timer.
   */
  volatile boolean supervisorTimer;
  /** The hart implements Sstc (stimecmp, menvcfg.STCE); a configuration, kept across reset. */
  boolean sstc = true;
  /** The VMM's SBI programs the comparator even with menvcfg.STCE clear (SBI TIME). */
  boolean firmwareTimer;
  /** Misaligned loads and stores are done byte by byte instead of trapping (VMM firmware). */
  boolean misalignedAccessEmulated;
  /** Set from any thread to make {@code run} return at its next check. */
  volatile boolean exitRequested;
  /** Set from any thread to make the hart drop its whole TLB at its next check. */
  volatile boolean tlbFlushRequested;

  /** LR reservation: the physical address, or -1 when none is held. */
  long reservationAddress = -1;
  /** The value LR read; SC succeeds only if memory still holds it. */
  long reservationValue;
  /**
   * Set by translated code before each instruction that may raise an exception: its index in the
   * block, so that a trap names the right pc and retired count ({@link Interpreter#runChunk}).
   */
  int blockStep;

  /** The pending synchronous exception, valid while a {@link TrapSignal} unwinds. */
  int trapCause;
  /** The trap value (mtval/stval) of the pending exception. */
  long trapValue;

  HartState(int hartId, Clock clock) {
    this.hartId = hartId;
    this.clock = clock;
  }

  /**
   * The value of mip as software reads it: device lines OR software-written bits OR bits posted
   * by other threads; while the Sstc comparator drives STIP, STIP is {@code time >= stimecmp}
   * (unsigned, Sstc spec 2.2) and the software-written STIP is ignored.
   */
  long mip() {
    long bits = mipDevice.get() | mipSoftware | mipPosted.get();
    if (supervisorTimer) {
      bits &= ~(1L << Cause.STI);
      if (timerFired(clock.now())) {
        bits |= 1L << Cause.STI;
      }
    }
    return bits;
  }

  /** True if {@code time} has reached stimecmp (as unsigned 64-bit numbers). */
  boolean timerFired(long time) {
    return time + Long.MIN_VALUE >= stimecmp + Long.MIN_VALUE;
  }

  /** Recomputes {@link #supervisorTimer} after menvcfg or {@link #firmwareTimer} changed. */
  void updateSupervisorTimer() {
    supervisorTimer = firmwareTimer || (menvcfg & MENVCFG_STCE) != 0;
  }

  /** menvcfg.STCE (Sstc spec 2.2), bit 63. */
  static final long MENVCFG_STCE = 1L << 63;

  /** Records exception {@code cause} with trap value {@code tval} and returns the signal to throw. */
  TrapSignal raise(int cause, long tval) {
    trapCause = cause;
    trapValue = tval;
    return TrapSignal.INSTANCE;
  }

  /** Register {@code reg} (0..31). */
  @SuppressWarnings("index") // reg comes from a 5-bit instruction field or a checked public argument
  long reg(int reg) {
    return x[reg];
  }

  /** Writes register {@code reg}; writes to x0 are dropped (Unpriv 2.1). */
  @SuppressWarnings("index") // as reg()
  void setReg(int reg, long value) {
    if (reg != 0) {
      x[reg] = value;
    }
  }

  /**
   * The architectural part of a hart reset (Priv 3.4; see {@code Hart.reset}): M-mode at {@code
   * newPc} with x, f, fcsr and the M- and S-mode CSRs cleared, mstatus with only UXL/SXL set, no
   * pending software interrupts, no timer compare, no reservation, and mcycle/minstret reading 0
   * from now on ({@link #retired} itself keeps counting).
   */
  void resetArchitecturalState(long newPc) {
    Arrays.fill(x, 0);
    Arrays.fill(f, 0);
    fflags = 0;
    frm = 0;
    pc = newPc;
    priv = Privilege.M;
    mstatus = Mstatus.UXL_64 | Mstatus.SXL_64;
    medeleg = 0;
    mideleg = 0;
    mie = 0;
    mtvec = 0;
    mcounteren = 0;
    scounteren = 0;
    menvcfg = 0;
    senvcfg = 0;
    mcause = 0;
    mepc = 0;
    mtval = 0;
    mscratch = 0;
    stvec = 0;
    sscratch = 0;
    sepc = 0;
    scause = 0;
    stval = 0;
    mipSoftware = 0;
    mipPosted.set(0);
    stimecmp = -1L;
    firmwareTimer = false;
    updateSupervisorTimer();
    misalignedAccessEmulated = false;
    mcycleDelta = -retired;
    minstretDelta = -retired;
    reservationAddress = -1;
  }
}
