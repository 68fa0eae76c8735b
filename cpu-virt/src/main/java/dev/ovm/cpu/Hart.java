package dev.ovm.cpu;

import dev.ovm.memory.SystemBus;
import dev.ovm.memory.GuestRam;
import dev.ovm.memory.TlbShootdown;
import dev.ovm.memory.mmu.Mmu;
import dev.ovm.vmm.Vcpu;
import dev.ovm.vmm.VcpuExit;
import dev.ovm.vmm.device.IrqLine;
import dev.ovm.vmm.time.Clock;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One RV64IMAFDC hart with M, S and U modes and Sv39 (Priv spec 1.12), as a {@link Vcpu}.
 *
 * <p>The hart executes only inside {@link #run}, on the calling thread. The register and CSR
 * accessors are meant for tests and debuggers and must not race with {@code run}. The
 * {@link #interruptLine interrupt lines}, {@link #requestExit}, {@link #requestTlbFlush},
 * {@link #wakeable}, {@link #parked}, {@link #timerDeadline}, {@link #hsmState}, {@link
 * #requestStart}, {@link #postSupervisorSoftwareInterrupt} and {@link #retired} are safe from any
 * thread ({@code retired} may lag there); {@link #flushTlbFrom} runs on the calling hart's thread.
 *
 * <p>With {@link #installFirmware} the VMM is the hart's M-mode firmware: ECALLs from S-mode go to
 * the {@link MachineFirmware} (the VMM's SBI) and the hart carries the SBI HSM state.
 *
 * <p>Interrupts are taken at instruction boundaries: when a quantum starts, right after an
 * instruction that may enable one (CSR write, MRET, SRET, WFI), and at least every
 * {@value #CHECK_INTERVAL} instructions, which is how a device's line change reaches a running hart.
 */
public final class Hart implements Vcpu {
  /**
   * Default executions of a block start before it is translated ({@link #setTranslationThreshold}).
   * Lower thresholds translate code that runs too few times to repay the translation (about 0.1 ms
   * a block, and HotSpot's own warm-up of the new class); measured on the Linux boot in
   * docs/BENCHMARKS.md.
   */
  public static final int DEFAULT_TRANSLATION_THRESHOLD = 2048;

  /**
   * Instructions executed between two looks at interrupts and exit requests: at 100–500 MIPS,
   * 8–40 µs. A translated block runs only if it fits in what is left of the chunk, so the chunk's
   * tail is interpreted: at 256 (the value before translation) that tail cost a third of the
   * translated speed of guests/bin/bench.elf (docs/BENCHMARKS.md).
   */
  static final int CHECK_INTERVAL = 4096;
  /** A trap at the same pc with the same cause this many times in a row, retiring nothing, is fatal. */
  static final int STUCK_LIMIT = 3;

  private final HartState s;
  private final Mmu mmu;
  private final MemoryAccess memory;
  private final CsrFile csrs;
  private final Traps traps;
  private final Interpreter interpreter;
  private final GuestRam ram;
  /** This hart's part in its VM's TLB shootdown: its TLB and fetch page hold machine offsets. */
  private final TlbShootdown.Participant translations;
  private final HartLifecycle lifecycle = new HartLifecycle();
  /** The VMM's M-mode firmware, or null when guest code (or nothing) runs in M-mode. */
  private @Nullable MachineFirmware firmware;
  /** True while a thread is inside {@link #run}; read by other harts' remote fences. */
  private volatile boolean running;

  private int stuckCause = -1;
  private long stuckPc;
  private long stuckRetired;
  private int stuckCount;

  /**
   * Creates a hart in its reset state at pc 0; call {@link #reset} to choose the reset vector.
   *
   * @param hartId mhartid, 0-based
   * @param bus the VM's physical address space
   * @param clock the source of the {@code time} CSR
   */
  public Hart(int hartId, SystemBus bus, Clock clock) {
    this.s = new HartState(hartId, clock);
    this.ram = bus.ram();
    this.mmu = new Mmu(bus);
    this.memory = new MemoryAccess(s, bus, mmu);
    this.csrs = new CsrFile(s, mmu, memory, clock);
    this.traps = new Traps(s, memory);
    this.interpreter =
        new Interpreter(s, memory, csrs, traps, mmu, bus.ram(), new Fpu(s, memory));
    this.interpreter.blocks = new BlockCache(ram, DEFAULT_TRANSLATION_THRESHOLD);
    HartState state = s;
    Mmu walker = mmu;
    MemoryAccess access = memory;
    Interpreter executor = interpreter;
    this.translations =
        bus.ram().shootdown().register(() -> {
          walker.tlb().flushAll();
          access.forgetFetchPage();
          state.reservationAddress = -1; // it is a machine offset too
          BlockCache blocks = executor.blocks;
          if (blocks != null) {
            blocks.clear(); // keyed by machine offsets, which may now belong to another VM
          }
        });
  }

  /**
   * Resets the hart (Priv 3.4): M-mode, pc = {@code pc}, mstatus.MIE = 0 and MPRV = 0, satp =
   * Bare, mcause = 0, no reservation, no pending software interrupts. Integer and FP registers,
   * fcsr and the other M- and S-mode CSRs are cleared, mstatus.FS is Off (the spec leaves them
   * unspecified), the TLB is empty, and mcycle/minstret restart at 0. {@link #retired()} does
   * not restart: it counts every instruction the hart ever retired, for the VMM's accounting.
   */
  public void reset(long pc) {
    BlockCache blocks = interpreter.blocks;
    if (blocks != null) {
      blocks.clear(); // the VM's frames are returned on reset and may come back with other code
    }
    s.resetArchitecturalState(pc);
    lifecycle.set(HartLifecycle.STARTED);
    firmware = null;
    mmu.setSatp(0);
    mmu.tlb().flushAll();
    memory.updateContexts();
    interpreter.waitingForInterrupt = false;
    stuckCause = -1;
  }

  @Override
  public int id() {
    return s.hartId;
  }

  @Override
  public VcpuExit run(long maxInstructions) {
    translations.enter();
    running = true;
    try {
      return runChunks(maxInstructions);
    } finally {
      running = false;
      translations.exit();
    }
  }

  /** The quantum: chunks of instructions with a check point (exit, shootdown, interrupts) before each. */
  private VcpuExit runChunks(long maxInstructions) {
    long budget = Math.max(0, maxInstructions);
    long end = budget > Long.MAX_VALUE - s.retired ? Long.MAX_VALUE : s.retired + budget;
    while (true) {
      if (s.exitRequested) {
        s.exitRequested = false;
        return VcpuExit.QUANTUM;
      }
      serviceFlushes();
      if (firmware != null && lifecycle.state() != HartLifecycle.STARTED && !powerUp()) {
        return VcpuExit.WFI; // stopped (SBI HSM): not runnable until another hart starts it
      }
      int interrupt = traps.pendingInterrupt();
      if (interrupt >= 0) {
        wake();
        traps.takeInterrupt(interrupt);
      } else if (interpreter.waitingForInterrupt) {
        if (!wakeable()) {
          return VcpuExit.WFI; // pc is past the WFI: the next run resumes after it
        }
        wake(); // Priv 3.3.3: wake even if globally disabled
      }
      if (s.retired >= end) {
        return VcpuExit.QUANTUM;
      }
      interpreter.chunkEnd = Math.min(end, s.retired + CHECK_INTERVAL);
      try {
        interpreter.runChunk();
      } catch (TrapSignal signal) {
        MachineFirmware monitor = firmware;
        if (monitor != null && traps.targetsMachine(s.trapCause)) {
          if (s.trapCause != Cause.ECALL_FROM_S) {
            return new VcpuExit.Fatal(String.format(
                "hart %d: exception cause %d at pc 0x%x (tval 0x%x) would trap to M-mode, where"
                    + " the VMM's SBI runs and handles only ECALL from S-mode",
                s.hartId, s.trapCause, s.pc, s.trapValue));
          }
          s.pc += 4; // ECALL is never compressed
          s.retired++;
          monitor.supervisorCall(this);
          continue;
        }
        if (stuck()) {
          return new VcpuExit.Fatal(String.format(
              "hart %d is stuck: exception cause %d at pc 0x%x (tval 0x%x) repeats %d times"
                  + " without retiring an instruction; mtvec=0x%x stvec=0x%x",
              s.hartId, s.trapCause, s.pc, s.trapValue, STUCK_LIMIT, s.mtvec, s.stvec));
        }
        traps.takeException();
      }
    }
  }

  /** Counts identical traps that retire nothing in between (e.g. mtvec points at nothing). */
  private boolean stuck() {
    if (s.trapCause == stuckCause && s.pc == stuckPc && s.retired == stuckRetired) {
      return ++stuckCount >= STUCK_LIMIT;
    }
    stuckCause = s.trapCause;
    stuckPc = s.pc;
    stuckRetired = s.retired;
    stuckCount = 1;
    return false;
  }

  /** {@inheritDoc} Exact on the hart's own thread; from another thread it may lag behind. */
  @Override
  public long retired() {
    return s.retired;
  }

  /** Leaves WFI (or an SBI HSM suspend, which is a WFI with a state the other harts can read). */
  private void wake() {
    interpreter.waitingForInterrupt = false;
    if (firmware != null && lifecycle.state() == HartLifecycle.SUSPENDED) {
      lifecycle.set(HartLifecycle.STARTED);
    }
  }

  /** Acts on a pending HSM start; false if the hart stays stopped. */
  private boolean powerUp() {
    if (lifecycle.state() != HartLifecycle.START_PENDING) {
      return lifecycle.state() != HartLifecycle.STOPPED;
    }
    HartLifecycle.Start start = lifecycle.takeStart();
    enterSupervisor(start.address(), start.opaque());
    lifecycle.set(HartLifecycle.STARTED);
    return true;
  }

  /**
   * Drops every cached translation if a remote fence or a P2M shootdown asks for it: at each check
   * point, and while this hart waits inside the firmware for another hart's fence (so that a
   * shootdown waiting for this hart, or a hart fencing this one, can always finish).
   */
  private void serviceFlushes() {
    long shootdown = translations.due();
    if (s.tlbFlushRequested || shootdown != 0) {
      serviceTlbFlush();
      if (shootdown != 0) {
        s.reservationAddress = -1; // a machine offset, like the TLB's
        BlockCache blocks = interpreter.blocks;
        if (blocks != null) {
          blocks.clear();
        }
        translations.flushed(shootdown); // a P2M change may now free the frames it unmapped
      }
    }
  }

  private void serviceTlbFlush() {
    s.tlbFlushRequested = false;
    mmu.tlb().flushAll();
    memory.updateContexts();
    BlockCache blocks = interpreter.blocks;
    if (blocks != null) {
      blocks.fenceInstructions(); // the request may be a remote FENCE.I (SBI RFENCE)
    }
  }

  /**
   * {@inheritDoc} A hart stopped by SBI HSM is not wakeable by interrupts; one with a start pending
   * is.
   */
  @Override
  public boolean wakeable() {
    int power = lifecycle.state();
    if (power == HartLifecycle.STOPPED) {
      return false;
    }
    return power == HartLifecycle.START_PENDING || (s.mip() & s.mie) != 0;
  }

  /** True while the hart is stopped in the SBI HSM sense (it waits for {@code hart_start}). */
  @Override
  public boolean parked() {
    return lifecycle.state() == HartLifecycle.STOPPED;
  }

  @Override
  public void requestExit() {
    s.exitRequested = true;
  }

  /**
   * Asks the hart to drop every cached translation (its TLB and fetch page) before it executes
   * another instruction, e.g. after the VMM changed which host memory backs guest RAM. Thread-safe;
   * a running hart acts on it within {@value #CHECK_INTERVAL} instructions, an idle one when it next
   * runs.
   */
  public void requestTlbFlush() {
    s.tlbFlushRequested = true;
  }

  /**
   * Makes sure that this hart uses no translation cached before the call once the call returns
   * (a remote SFENCE.VMA/FENCE.I for SBI RFENCE, SBI spec v2.0 ch. 8). Called on {@code caller}'s
   * thread. If this hart is running on another thread, the call waits until it reaches its next
   * check (at most {@value #CHECK_INTERVAL} instructions) and flushes; a hart that is not running
   * flushes before its next instruction. While it waits the caller serves flushes and P2M
   * shootdowns aimed at itself, so two harts fencing each other, or a fence meeting a shootdown
   * that waits for the caller, cannot deadlock.
   */
  public void flushTlbFrom(Hart caller) {
    if (caller == this) {
      serviceTlbFlush();
      return;
    }
    s.tlbFlushRequested = true;
    for (int spins = 0; running && s.tlbFlushRequested; spins++) {
      caller.serviceFlushes();
      if (spins < 1000) {
        Thread.onSpinWait();
      } else {
        Thread.yield(); // the target's thread may be waiting for a host core
      }
    }
  }

  /**
   * The line that drives mip bit {@code mipBit} (MSIP=3, MTIP=7, SEIP=9, MEIP=11 from the CLINT
   * and PLIC; SSIP=1 and STIP=5 may also be wired). The line's level is ORed with the bit software
   * wrote (Priv 3.1.9: mip.SEIP reads as device line OR software bit). Thread-safe; a running hart
   * notices within {@value #CHECK_INTERVAL} instructions.
   *
   * @throws IllegalArgumentException if {@code mipBit} is not one of those
   */
  public IrqLine interruptLine(int mipBit) {
    if (mipBit < 1 || mipBit > Cause.MEI || (mipBit & 1) == 0) {
      throw new IllegalArgumentException("no interrupt line for mip bit " + mipBit);
    }
    long mask = 1L << mipBit;
    return asserted -> {
      long bits;
      long updated;
      do { // a plain CAS loop: no allocation, whatever thread the device runs on
        bits = s.mipDevice.get();
        updated = asserted ? bits | mask : bits & ~mask;
      } while (!s.mipDevice.compareAndSet(bits, updated));
    };
  }

  /** Register x{@code reg}. */
  public long x(int reg) {
    return s.reg(checkRegister(reg));
  }

  /** Sets register x{@code reg} (writes to x0 are ignored). */
  public void setX(int reg, long value) {
    s.setReg(checkRegister(reg), value);
  }

  /** Register f{@code reg}: all 64 bits (a single-precision value is NaN-boxed, Unpriv 21.2). */
  @SuppressWarnings("index") // checkRegister bounds reg to 0..31, the length of f
  public long f(int reg) {
    return s.f[checkRegister(reg)];
  }

  private static int checkRegister(int reg) {
    if (reg < 0 || reg >= HartState.REGISTERS) {
      throw new IllegalArgumentException("no register x" + reg);
    }
    return reg;
  }

  /** The pc of the next instruction to execute. */
  public long pc() {
    return s.pc;
  }

  /** The current privilege mode. */
  public Privilege privilege() {
    return Privilege.of(s.priv);
  }

  /**
   * Reads CSR {@code address} as M-mode software would, without side effects on the hart's trap
   * state.
   *
   * @throws IllegalArgumentException if the CSR does not exist, or is fflags/frm/fcsr while
   *     mstatus.FS is Off
   */
  public long csr(int address) {
    int savedPriv = s.priv;
    int savedCause = s.trapCause;
    long savedValue = s.trapValue;
    s.priv = Privilege.M;
    try {
      return csrs.read(address, false, 0);
    } catch (TrapSignal signal) {
      throw new IllegalArgumentException(String.format("no CSR 0x%x", address));
    } finally {
      s.priv = savedPriv;
      s.trapCause = savedCause;
      s.trapValue = savedValue;
    }
  }

  // ---- the VMM as M-mode firmware (SBI served by the VMM) ----

  /** Exceptions the VMM's firmware leaves to S-mode: every delegable one except ECALL from S. */
  private static final long FIRMWARE_MEDELEG = 0xB3FFL & ~(1L << Cause.ECALL_FROM_S);
  /** The S-level interrupts SSIP, STIP, SEIP, delegated to S-mode. */
  private static final long FIRMWARE_MIDELEG = 1L << Cause.SSI | 1L << Cause.STI | 1L << Cause.SEI;
  /** mcounteren: cycle, time and instret readable from S-mode (the hpm counters read zero anyway). */
  private static final long FIRMWARE_MCOUNTEREN = 0xFFFF_FFFFL;

  /**
   * Makes the VMM this hart's M-mode firmware, set up as OpenSBI leaves a hart for its payload:
   * every exception but ECALL from S and every S-level interrupt delegated to S-mode, all counters
   * readable from S-mode (mcounteren), menvcfg.STCE = {@code sstc}, misaligned loads and stores
   * done by the hart (firmware would emulate them; Priv 3.1.16 allows either), and the
   * supervisor timer comparator owned by the firmware (SBI TIME programs it even without Sstc).
   * Call after {@link #reset} and before the hart runs.
   *
   * @param handler serves ECALLs from S-mode
   * @param sstc true to give the guest the Sstc extension (menvcfg.STCE = 1)
   */
  public void installFirmware(MachineFirmware handler, boolean sstc) {
    firmware = handler;
    s.medeleg = FIRMWARE_MEDELEG;
    s.mideleg = FIRMWARE_MIDELEG;
    s.mcounteren = FIRMWARE_MCOUNTEREN;
    s.menvcfg = sstc && s.sstc ? HartState.MENVCFG_STCE : 0;
    s.firmwareTimer = true;
    s.updateSupervisorTimer();
    s.misalignedAccessEmulated = true;
  }

  /**
   * Enters S-mode at {@code pc} as SBI hands a hart to its payload (SBI spec v2.0 ch. 9.1):
   * {@code a0} = hart id, {@code a1} = {@code opaque}, satp = Bare, sstatus.SIE = 0. Only on the
   * hart's own thread, or before it runs.
   */
  public void enterSupervisor(long pc, long opaque) {
    s.setReg(10, s.hartId);
    s.setReg(11, opaque);
    s.mstatus &= ~(Mstatus.SIE | Mstatus.MPRV);
    s.priv = Privilege.S;
    s.pc = pc;
    mmu.setSatp(0);
    mmu.tlb().flushAll();
    memory.updateContexts();
  }

  /**
   * Translates a block of guest code to JVM code once it has started executing {@code threshold}
   * times ({@link BlockTranslator}); 0 turns translation off, so that every instruction is
   * interpreted. Guest-visible behaviour is the same either way, instruction for instruction; only
   * speed differs. Call before the hart runs (or between runs, on the thread that runs it).
   *
   * @throws IllegalArgumentException if {@code threshold} is negative
   */
  public void setTranslationThreshold(int threshold) {
    if (threshold < 0) {
      throw new IllegalArgumentException("translation threshold must be 0 (off) or more: " + threshold);
    }
    interpreter.blocks = threshold == 0 ? null : new BlockCache(ram, threshold);
  }

  /** What block translation has done on this hart since it was last turned on; null when off. */
  public @Nullable TranslationStatistics translationStatistics() {
    BlockCache blocks = interpreter.blocks;
    return blocks == null ? null : blocks.statistics();
  }

  /**
   * Chooses whether the hart implements Sstc (the default): without it stimecmp does not exist
   * (illegal instruction in every mode) and menvcfg.STCE reads 0. Call before the hart runs; kept
   * across {@link #reset}. The VMM's SBI still uses the comparator internally for SBI TIME.
   */
  public void setSstc(boolean implemented) {
    s.sstc = implemented;
    s.menvcfg &= implemented ? -1L : ~HartState.MENVCFG_STCE;
    s.updateSupervisorTimer();
  }

  /**
   * The SBI HSM state (SBI spec v2.0 ch. 9): 0 started, 1 stopped, 2 start pending, 4 suspended.
   * Thread-safe.
   */
  public int hsmState() {
    return lifecycle.state();
  }

  /**
   * SBI HSM {@code hart_start}: a stopped hart will enter S-mode at {@code pc} with {@code a0} =
   * its id and {@code a1} = {@code opaque}. Thread-safe (another hart calls it).
   *
   * @return false if the hart is not stopped
   */
  public boolean requestStart(long pc, long opaque) {
    return lifecycle.requestStart(pc, opaque);
  }

  /**
   * SBI HSM {@code hart_stop} (or the initial state of a secondary hart): the hart stops and is not
   * scheduled until {@link #requestStart}. On the hart's own thread or before it runs.
   */
  public void stop() {
    lifecycle.set(HartLifecycle.STOPPED);
    interpreter.waitingForInterrupt = false;
  }

  /**
   * SBI HSM {@code hart_suspend} (SBI spec v2.0 ch. 9.4): the hart waits for an interrupt (pending
   * and enabled in sie, whatever sstatus.SIE says), then resumes after the ECALL ({@code
   * retentive}) or at {@code resumePc} in S-mode with a0 = hart id, a1 = {@code opaque}, satp =
   * Bare (non-retentive). On the hart's own thread.
   */
  public void suspend(boolean retentive, long resumePc, long opaque) {
    if (!retentive) {
      enterSupervisor(resumePc, opaque);
    }
    lifecycle.set(HartLifecycle.SUSPENDED);
    interpreter.waitingForInterrupt = true;
  }

  /**
   * Programs the supervisor timer (SBI TIME {@code set_timer}): STIP is pending from the moment
   * {@code time} reaches {@code stimecmp} (unsigned), and a software-set STIP is cleared. On the
   * hart's own thread.
   */
  public void setTimer(long stimecmp) {
    s.stimecmp = stimecmp;
    s.mipSoftware &= ~(1L << Cause.STI);
  }

  /**
   * The clock tick at which this hart's supervisor timer fires, or {@link Long#MAX_VALUE} if the
   * comparator is off, lies beyond {@code Long.MAX_VALUE}, or already fired without being able to
   * wake the hart (STIE clear, or the hart is stopped). A timer that fired and can wake the hart
   * keeps reporting its (past) tick, so that a run loop that looks between its wake-up pass and
   * its idle check does not mistake the hart for one that nothing can wake. Thread-safe; the VM's
   * run loop jumps an idle deterministic clock there, as it does for the CLINT's mtimecmp.
   */
  public long timerDeadline() {
    if (!s.supervisorTimer || lifecycle.state() == HartLifecycle.STOPPED) {
      return Long.MAX_VALUE;
    }
    long compare = s.stimecmp;
    if (compare < 0) {
      return Long.MAX_VALUE;
    }
    boolean canWake = (s.mie & (1L << Cause.STI)) != 0;
    return s.timerFired(s.clock.now()) && !canWake ? Long.MAX_VALUE : compare;
  }

  /**
   * Sets mip.SSIP from another thread (an SBI IPI, SBI spec v2.0 ch. 7); a hart waiting for
   * interrupts becomes wakeable if SSIE is set. The guest clears it by writing sip.
   */
  public void postSupervisorSoftwareInterrupt() {
    long bit = 1L << Cause.SSI;
    long posted;
    do {
      posted = s.mipPosted.get();
    } while ((posted & bit) == 0 && !s.mipPosted.compareAndSet(posted, posted | bit));
  }

  /** Clears mip.SSIP, set by software or posted (legacy SBI clear_ipi). On the hart's own thread. */
  public void clearSupervisorSoftwareInterrupt() {
    long bit = 1L << Cause.SSI;
    s.mipSoftware &= ~bit;
    long posted;
    do {
      posted = s.mipPosted.get();
    } while ((posted & bit) != 0 && !s.mipPosted.compareAndSet(posted, posted & ~bit));
  }

  /**
   * Reads the doubleword at guest-virtual {@code va} as a load at the hart's current privilege
   * would (translation, permissions, SUM), for firmware given a pointer by the kernel (the legacy
   * SBI hart masks, SBI spec v2.0 ch. 5). No trap is taken. On the hart's own thread.
   *
   * @return the value, or empty if the load would fault
   */
  public java.util.OptionalLong loadDoubleword(long va) {
    int savedCause = s.trapCause;
    long savedValue = s.trapValue;
    try {
      return java.util.OptionalLong.of(memory.load(va, 3));
    } catch (TrapSignal signal) {
      return java.util.OptionalLong.empty();
    } finally {
      s.trapCause = savedCause;
      s.trapValue = savedValue;
    }
  }
}
