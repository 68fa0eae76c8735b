package dev.ovm.cpu;

import dev.ovm.memory.SystemBus;
import dev.ovm.memory.TlbShootdown;
import dev.ovm.memory.mmu.Mmu;
import dev.ovm.vmm.Vcpu;
import dev.ovm.vmm.VcpuExit;
import dev.ovm.vmm.device.IrqLine;
import dev.ovm.vmm.time.Clock;

/**
 * One RV64IMAFDC hart with M, S and U modes and Sv39 (Priv spec 1.12), as a {@link Vcpu}.
 *
 * <p>The hart executes only inside {@link #run}, on the calling thread. The register and CSR
 * accessors are meant for tests and debuggers and must not race with {@code run}. The
 * {@link #interruptLine interrupt lines}, {@link #requestExit}, {@link #requestTlbFlush},
 * {@link #wakeable} and {@link #retired} are safe from any thread ({@code retired} may lag there).
 *
 * <p>Interrupts are taken at instruction boundaries: when a quantum starts, right after an
 * instruction that may enable one (CSR write, MRET, SRET, WFI), and at least every
 * {@value #CHECK_INTERVAL} instructions, which is how a device's line change reaches a running hart.
 */
public final class Hart implements Vcpu {
  /** Instructions executed between two looks at interrupts and exit requests. */
  static final int CHECK_INTERVAL = 256;
  /** A trap at the same pc with the same cause this many times in a row, retiring nothing, is fatal. */
  static final int STUCK_LIMIT = 3;

  private final HartState s;
  private final Mmu mmu;
  private final MemoryAccess memory;
  private final CsrFile csrs;
  private final Traps traps;
  private final Interpreter interpreter;
  /** This hart's part in its VM's TLB shootdown: its TLB and fetch page hold machine offsets. */
  private final TlbShootdown.Participant translations;

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
    this.s = new HartState(hartId);
    this.mmu = new Mmu(bus);
    this.memory = new MemoryAccess(s, bus, mmu);
    this.csrs = new CsrFile(s, mmu, memory, clock);
    this.traps = new Traps(s, memory);
    this.interpreter =
        new Interpreter(s, memory, csrs, traps, mmu, bus.ram(), new Fpu(s, memory));
    HartState state = s;
    Mmu walker = mmu;
    MemoryAccess access = memory;
    this.translations =
        bus.ram().shootdown().register(() -> {
          walker.tlb().flushAll();
          access.forgetFetchPage();
          state.reservationAddress = -1; // it is a machine offset too
        });
  }

  /**
   * Resets the hart (Priv 3.4): M-mode, pc = {@code pc}, mstatus.MIE = 0 and MPRV = 0, satp =
   * Bare, mcause = 0, no reservation, no pending software interrupts. Integer and FP registers and fcsr
   * are cleared, mstatus.FS is Off, (the spec leaves them unspecified) and counters restart at 0.
   */
  public void reset(long pc) {
    java.util.Arrays.fill(s.x, 0);
    java.util.Arrays.fill(s.f, 0);
    s.fflags = 0;
    s.frm = 0;
    s.pc = pc;
    s.priv = Privilege.M;
    s.mstatus = Mstatus.UXL_64 | Mstatus.SXL_64;
    s.medeleg = 0;
    s.mideleg = 0;
    s.mie = 0;
    s.mtvec = 0;
    s.mcounteren = 0;
    s.scounteren = 0;
    s.menvcfg = 0;
    s.senvcfg = 0;
    s.mcause = 0;
    s.mepc = 0;
    s.mtval = 0;
    s.mipSoftware = 0;
    s.retired = 0;
    s.mcycleDelta = 0;
    s.minstretDelta = 0;
    s.reservationAddress = -1;
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
    try {
      return runChunks(maxInstructions);
    } finally {
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
      long shootdown = translations.due();
      if (s.tlbFlushRequested || shootdown != 0) {
        s.tlbFlushRequested = false;
        mmu.tlb().flushAll();
        memory.updateContexts();
        if (shootdown != 0) {
          s.reservationAddress = -1; // a machine offset, like the TLB's
          translations.flushed(shootdown); // a P2M change may now free the frames it unmapped
        }
      }
      int interrupt = traps.pendingInterrupt();
      if (interrupt >= 0) {
        interpreter.waitingForInterrupt = false;
        traps.takeInterrupt(interrupt);
      } else if (interpreter.waitingForInterrupt) {
        if (!wakeable()) {
          return VcpuExit.WFI; // pc is past the WFI: the next run resumes after it
        }
        interpreter.waitingForInterrupt = false; // Priv 3.3.3: wake even if globally disabled
      }
      if (s.retired >= end) {
        return VcpuExit.QUANTUM;
      }
      interpreter.chunkEnd = Math.min(end, s.retired + CHECK_INTERVAL);
      try {
        interpreter.runChunk();
      } catch (TrapSignal signal) {
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

  @Override
  public boolean wakeable() {
    return (s.mip() & s.mie) != 0;
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
}
