package dev.ovm.cpu;

import static dev.ovm.cpu.CsrAddress.*;

import dev.ovm.memory.mmu.Mmu;
import dev.ovm.memory.mmu.Pte;
import dev.ovm.vmm.time.Clock;

/**
 * The CSRs of an RV64 IMAFDC hart with M, S and U modes (Priv spec 1.12, chapters 2–4): which exist,
 * who may access them, their WARL masks and the side effects of writing them. The values live in
 * {@link HartState}.
 *
 * <p>Access rules (Priv 2.1, 3.1.11, 4.1.11): an access to a CSR that does not exist, from a
 * privilege below the one in address bits 9:8, a write to a read-only CSR (bits 11:10 = 11), satp
 * from S-mode with mstatus.TVM=1, and a counter from S/U-mode whose bit is clear in mcounteren (or,
 * from U-mode, in scounteren) all raise illegal instruction with tval = the instruction.
 *
 * <p>Sstc (Sstc spec 1.0): stimecmp exists when the hart has Sstc; below M-mode it needs
 * mcounteren.TM and menvcfg.STCE, and while STCE is set (or the VMM's SBI owns the timer) STIP
 * follows {@code time >= stimecmp} and is read-only in mip.
 *
 * <p>Implemented as read-zero/ignore-writes (legal WARL choices): hpmcounter3..31, mhpmcounter3..31,
 * mhpmevent3..31, mcountinhibit, mconfigptr, pmpcfg0..14 (even; odd numbers do not exist on RV64)
 * and pmpaddr0..63 — there is no PMP, which OpenSBI detects by reading pmpaddr back as 0.
 */
final class CsrFile {
  /** misa: MXL=2 (64-bit), extensions A, C, D, F, I, M, S, U (read-only). */
  static final long MISA_VALUE =
      2L << 62 | 1L << ('A' - 'A') | 1L << ('C' - 'A') | 1L << ('D' - 'A') | 1L << ('F' - 'A')
          | 1L << ('I' - 'A') | 1L << ('M' - 'A') | 1L << ('S' - 'A') | 1L << ('U' - 'A');
  /** Exceptions M-mode can delegate: all defined causes except ecall from M (Priv 3.1.8). */
  private static final long MEDELEG_WRITABLE = 0xB3FF;
  /** The S-level interrupts: SSIP, STIP, SEIP. */
  private static final long S_INTERRUPTS = 1L << Cause.SSI | 1L << Cause.STI | 1L << Cause.SEI;
  /** All interrupts of mie. */
  private static final long ALL_INTERRUPTS =
      S_INTERRUPTS | 1L << Cause.MSI | 1L << Cause.MTI | 1L << Cause.MEI;
  /** senvcfg: only FIOM is implemented (no Zicbo*, Svpbmt). */
  private static final long ENVCFG_WRITABLE = 1;
  /** menvcfg: FIOM and STCE (Sstc spec 2.2). */
  private static final long MENVCFG_WRITABLE = ENVCFG_WRITABLE | HartState.MENVCFG_STCE;
  /** mcounteren/scounteren.TM, the bit of {@code time} (Priv 3.1.11). */
  private static final long COUNTEREN_TM = 1L << (TIME - CYCLE);
  private static final long COUNTEREN_WRITABLE = 0xFFFF_FFFFL;
  private static final long SATP_WRITABLE = 0xFL << 60 | Pte.SATP_ASID_MASK << 44 | Pte.PPN_MASK;

  private final HartState s;
  private final Mmu mmu;
  private final MemoryAccess memory;
  private final Clock clock;

  CsrFile(HartState state, Mmu mmu, MemoryAccess memory, Clock clock) {
    this.s = state;
    this.mmu = mmu;
    this.memory = memory;
    this.clock = clock;
  }

  /**
   * Checks an access and reads the CSR.
   *
   * @param address the CSR number
   * @param willWrite true if the instruction will write it
   * @param insn the instruction, for the tval of an illegal-instruction exception
   * @throws TrapSignal illegal instruction if the access is not allowed
   */
  long read(int address, boolean willWrite, int insn) {
    if (s.priv < minimumPrivilege(address) || (willWrite && readOnly(address))) {
      throw illegal(insn);
    }
    return switch (address) {
      case FFLAGS, FRM, FCSR -> floatingPoint(address, insn);
      case CYCLE, TIME, INSTRET -> counter(address, insn);
      case SSTATUS -> s.mstatus & Mstatus.SSTATUS_VIEW;
      case SIE -> s.mie & s.mideleg;
      case STVEC -> s.stvec;
      case SCOUNTEREN -> s.scounteren;
      case SENVCFG -> s.senvcfg;
      case SSCRATCH -> s.sscratch;
      case SEPC -> s.sepc;
      case SCAUSE -> s.scause;
      case STVAL -> s.stval;
      case SIP -> s.mip() & s.mideleg;
      case STIMECMP -> {
        if (!s.sstc) {
          throw illegal(insn); // no such CSR without Sstc
        }
        checkStimecmpAccess(insn);
        yield s.stimecmp;
      }
      case SATP -> {
        if (s.priv == Privilege.S && (s.mstatus & Mstatus.TVM) != 0) {
          throw illegal(insn); // Priv 3.1.6.5
        }
        yield mmu.satp();
      }
      case MVENDORID, MARCHID, MIMPID, MCONFIGPTR -> 0;
      case MHARTID -> s.hartId;
      case MSTATUS -> s.mstatus;
      case MISA -> MISA_VALUE;
      case MEDELEG -> s.medeleg;
      case MIDELEG -> s.mideleg;
      case MIE -> s.mie;
      case MTVEC -> s.mtvec;
      case MCOUNTEREN -> s.mcounteren;
      case MENVCFG -> s.menvcfg;
      case MSCRATCH -> s.mscratch;
      case MEPC -> s.mepc;
      case MCAUSE -> s.mcause;
      case MTVAL -> s.mtval;
      case MIP -> s.mip();
      case MCYCLE -> s.retired + s.mcycleDelta;
      case MINSTRET -> s.retired + s.minstretDelta;
      default -> readZeroCsr(address, insn);
    };
  }

  private long readZeroCsr(int address, int insn) {
    if (address >= HPMCOUNTER3 && address <= HPMCOUNTER31) {
      return counter(address, insn);
    }
    if ((address >= MHPMCOUNTER3 && address <= MHPMCOUNTER31)
        || (address >= MHPMEVENT3 && address <= MHPMEVENT31)
        || address == MCOUNTINHIBIT
        || (address >= PMPCFG0 && address <= PMPCFG15 && (address & 1) == 0)
        || (address >= PMPADDR0 && address <= PMPADDR63)) {
      return 0;
    }
    throw illegal(insn);
  }

  /**
   * Sstc spec 2.1, 2.2: below M-mode, stimecmp needs mcounteren.TM and menvcfg.STCE (U-mode never
   * reaches here: the address says S).
   */
  private void checkStimecmpAccess(int insn) {
    if (s.priv < Privilege.M
        && ((s.mcounteren & COUNTEREN_TM) == 0 || (s.menvcfg & HartState.MENVCFG_STCE) == 0)) {
      throw illegal(insn);
    }
  }

  /** fflags, frm, fcsr (Unpriv 20.2); illegal while mstatus.FS is Off (Priv 3.1.6.6). */
  private long floatingPoint(int address, int insn) {
    if ((s.mstatus & Mstatus.FS) == 0) {
      throw illegal(insn);
    }
    return switch (address) {
      case FFLAGS -> s.fflags;
      case FRM -> s.frm;
      default -> s.frm << 5 | s.fflags;
    };
  }

  /** cycle/time/instret/hpmcounterN with the mcounteren/scounteren gates (Priv 3.1.11, 4.1.5). */
  private long counter(int address, int insn) {
    int bit = address - CYCLE;
    if ((s.priv < Privilege.M && ((s.mcounteren >> bit) & 1) == 0)
        || (s.priv == Privilege.U && ((s.scounteren >> bit) & 1) == 0)) {
      throw illegal(insn);
    }
    return switch (address) {
      case CYCLE -> s.retired + s.mcycleDelta;
      case TIME -> clock.now();
      case INSTRET -> s.retired + s.minstretDelta;
      default -> 0;
    };
  }

  /**
   * The value CSRRS and CSRRC modify, given {@code readValue}, what {@link #read} returned for
   * {@code address}: the read value itself, except for mip and sip, where only the software-written
   * bits take part. Priv 3.1.9: the SEIP bit read is the OR of the software bit and the interrupt
   * controller's signal, "but the signal from the interrupt controller is not used to calculate
   * the value written to SEIP"; otherwise an RMW while a device holds SEIP (OpenSBI setting STIP)
   * would latch the device's level into the software bit. The write masks the read-only bits.
   */
  long modifySource(int address, long readValue) {
    // posted bits (an SBI IPI's SSIP, not yet folded in) are software bits too: an RMW of another
    // bit must not clear them
    return address == MIP || address == SIP ? s.mipSoftware | s.mipPosted.get() : readValue;
  }

  /**
   * Writes a CSR whose access {@link #read} already allowed, applying its WARL mask and side
   * effects. Writes take effect after the writing instruction (so the counters are set such that
   * they read {@code value} once the instruction retires).
   */
  void write(int address, long value) {
    switch (address) {
      case FFLAGS -> setFcsr(s.frm, (int) value & 0x1F);
      case FRM -> setFcsr((int) value & 7, s.fflags);
      case FCSR -> setFcsr((int) (value >> 5) & 7, (int) value & 0x1F); // bits 31:8 reserved
      case SSTATUS -> setMstatus(
          (s.mstatus & ~Mstatus.SSTATUS_WRITABLE) | (value & Mstatus.SSTATUS_WRITABLE));
      case SIE -> s.mie = (s.mie & ~s.mideleg) | (value & s.mideleg);
      case STVEC -> s.stvec = legalTvec(s.stvec, value);
      case SCOUNTEREN -> s.scounteren = value & COUNTEREN_WRITABLE;
      case SENVCFG -> s.senvcfg = value & ENVCFG_WRITABLE;
      case SSCRATCH -> s.sscratch = value;
      case SEPC -> s.sepc = value & ~1L;
      case SCAUSE -> s.scause = value;
      case STVAL -> s.stval = value;
      case SIP -> writeMip(s.mideleg & (1L << Cause.SSI), value); // only SSIP, if delegated (Priv 4.1.3)
      case STIMECMP -> s.stimecmp = value;
      case SATP -> writeSatp(value);
      case MSTATUS -> setMstatus(legalMpp((s.mstatus & ~Mstatus.WRITABLE) | (value & Mstatus.WRITABLE)));
      case MEDELEG -> s.medeleg = value & MEDELEG_WRITABLE;
      case MIDELEG -> s.mideleg = value & S_INTERRUPTS;
      case MIE -> s.mie = value & ALL_INTERRUPTS;
      case MTVEC -> s.mtvec = legalTvec(s.mtvec, value);
      case MCOUNTEREN -> s.mcounteren = value & COUNTEREN_WRITABLE;
      case MENVCFG -> {
        s.menvcfg = value & (s.sstc ? MENVCFG_WRITABLE : ENVCFG_WRITABLE);
        s.updateSupervisorTimer();
      }
      case MSCRATCH -> s.mscratch = value;
      case MEPC -> s.mepc = value & ~1L;
      case MCAUSE -> s.mcause = value;
      case MTVAL -> s.mtval = value;
      case MIP -> // Sstc spec 2.2: STIP is read-only while the comparator drives it
        writeMip(s.supervisorTimer ? S_INTERRUPTS & ~(1L << Cause.STI) : S_INTERRUPTS, value);
      case MCYCLE -> s.mcycleDelta = value - (s.retired + 1);
      case MINSTRET -> s.minstretDelta = value - (s.retired + 1);
      default -> {
        // read-only-zero CSRs (hpm, PMP, mcountinhibit): writes are ignored
      }
    }
  }

  /**
   * Sets the software-writable mip bits in {@code mask} to {@code value}'s; a bit cleared here is
   * also withdrawn from the bits other threads posted (an SBI IPI), as a write to mip clears it.
   */
  private void writeMip(long mask, long value) {
    s.mipSoftware = (s.mipSoftware & ~mask) | (value & mask);
    long clear = mask & ~value;
    long posted;
    while (((posted = s.mipPosted.get()) & clear) != 0
        && !s.mipPosted.compareAndSet(posted, posted & ~clear)) {
      // another thread posted a bit meanwhile: retry
    }
  }

  /** satp (Priv 4.1.11): a write with a MODE other than Bare or Sv39 has no effect at all. */
  private void writeSatp(long value) {
    long mode = Pte.satpMode(value);
    if (mode != Pte.SATP_MODE_BARE && mode != Pte.SATP_MODE_SV39) {
      return;
    }
    mmu.setSatp(value & SATP_WRITABLE);
    memory.updateContexts();
  }

  /** Writes fcsr's fields and marks the FP state Dirty (Priv 3.1.6.6). */
  private void setFcsr(int frm, int fflags) {
    s.frm = frm;
    s.fflags = fflags;
    s.mstatus |= Mstatus.FS | Mstatus.SD;
  }

  private void setMstatus(long value) {
    s.mstatus = Mstatus.withSd(value);
    memory.updateContexts();
  }

  /** MPP is WARL over {U, S, M}: the reserved value 2 keeps the old field. */
  private long legalMpp(long value) {
    if ((value & Mstatus.MPP) == 2L << Mstatus.MPP_SHIFT) {
      return (value & ~Mstatus.MPP) | (s.mstatus & Mstatus.MPP);
    }
    return value;
  }

  /** xtvec.MODE is WARL over {Direct, Vectored}: a write of a reserved mode is ignored (as QEMU). */
  private static long legalTvec(long old, long value) {
    return (value & 3) < 2 ? value : old;
  }

  private TrapSignal illegal(int insn) {
    return s.raise(Cause.ILLEGAL_INSTRUCTION, insn & 0xFFFF_FFFFL);
  }
}
