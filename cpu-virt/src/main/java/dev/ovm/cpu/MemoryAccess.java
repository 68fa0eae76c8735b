package dev.ovm.cpu;

import dev.ovm.memory.GuestRam;
import dev.ovm.memory.SystemBus;
import dev.ovm.memory.mmu.AccessType;
import dev.ovm.memory.mmu.Mmu;
import dev.ovm.memory.mmu.Pte;
import dev.ovm.memory.mmu.Tlb;
import dev.ovm.vmm.device.DeviceAccessFault;

/**
 * The hart's loads, stores, atomics and instruction fetches: virtual address → TLB → machine offset
 * on the fast path, the {@link Mmu} walk and the {@link SystemBus} on the slow path. Guest physical
 * memory is reached only through machine offsets that {@link GuestRam#offsetOf} (the VM's P2M, via
 * the TLB) vouched for, or through the bus. The TLB and the cached fetch page are dropped on a TLB
 * shootdown (see {@link Hart}) before the VMM frees a frame they may name.
 *
 * <p>Misaligned accesses: by default this hart does not emulate them. A misaligned load raises
 * load address misaligned (cause 4), a misaligned store or AMO store/AMO address misaligned (cause
 * 6), with tval = the virtual address (Priv spec 3.1.16 allows either trapping or emulating);
 * M-mode firmware such as OpenSBI emulates them for S/U software, as on real hardware. When the VMM
 * is the firmware ({@code HartState.misalignedAccessEmulated}), misaligned loads and stores (not
 * LR/SC/AMOs) are done byte by byte instead, each byte translated and checked on its own; a store
 * translates its first and last byte before writing any, so a page fault leaves memory unchanged.
 *
 * <p>Faults: a page fault becomes cause 12/13/15 and an access fault (walk or bus) 1/5/7, always
 * with tval = the faulting virtual address (Priv 3.1.16).
 */
final class MemoryAccess {
  private static final long PAGE_MASK = Pte.PAGE_SIZE - 1;
  /** Sentinel for "no fetch page cached": not page-aligned, so no pc's page equals it. */
  private static final long NO_PAGE = 1;

  private final HartState s;
  private final Mmu mmu;
  private final Tlb tlb;
  private final GuestRam ram;
  private final SystemBus bus;

  private int fetchContext;
  private int dataContext;
  private int fetchSet;
  private int loadSet;
  private int storeSet;
  /** Virtual page of the cached fetch page, or NO_PAGE. */
  private long fetchPage = NO_PAGE;
  /** Machine offset of the cached fetch page. */
  private long fetchPageOffset;

  MemoryAccess(HartState state, SystemBus bus, Mmu mmu) {
    this.s = state;
    this.bus = bus;
    this.ram = bus.ram();
    this.mmu = mmu;
    this.tlb = mmu.tlb();
    updateContexts();
  }

  /**
   * Recomputes the translation contexts after a change of privilege, mstatus (MPRV, MPP, SUM,
   * MXR) or satp, and forgets the cached fetch page. With MPRV=1 in M-mode, loads and stores use
   * the privilege in MPP (Priv 3.1.6.3); fetches never do.
   */
  void updateContexts() {
    mmu.setStatus((s.mstatus & Mstatus.SUM) != 0, (s.mstatus & Mstatus.MXR) != 0);
    fetchContext = mmu.contextFor(s.priv);
    int dataPriv = s.priv;
    if (s.priv == Privilege.M && (s.mstatus & Mstatus.MPRV) != 0) {
      dataPriv = (int) ((s.mstatus & Mstatus.MPP) >>> Mstatus.MPP_SHIFT);
    }
    dataContext = mmu.contextFor(dataPriv);
    fetchSet = Tlb.set(fetchContext, AccessType.FETCH);
    loadSet = Tlb.set(dataContext, AccessType.LOAD);
    storeSet = Tlb.set(dataContext, AccessType.STORE);
    fetchPage = NO_PAGE;
  }

  /** Forgets the cached fetch page (after SFENCE.VMA). */
  void forgetFetchPage() {
    fetchPage = NO_PAGE;
  }

  // ---- instruction fetch (Priv 4.3.2 with access type fetch) ----

  /**
   * The instruction bits at {@code pc}: the low 16 bits are the first parcel; if they end in 0b11
   * the upper 16 bits are the second parcel, otherwise the upper bits are meaningless.
   */
  int fetch(long pc) {
    if ((pc & ~PAGE_MASK) == fetchPage && (pc & PAGE_MASK) <= Pte.PAGE_SIZE - 4) {
      return ram.load32(fetchPageOffset + (pc & PAGE_MASK));
    }
    return fetchSlow(pc);
  }

  /**
   * The machine offset of the instruction at {@code pc}, for the block cache; -1 if it is not in
   * RAM. Caches the page for {@link #fetch}.
   *
   * @throws TrapSignal for an instruction page fault or access fault at {@code pc}: the fault
   *     that fetching the instruction's first parcel would raise
   */
  long fetchOffset(long pc) {
    long page = pc & ~PAGE_MASK;
    if (page != fetchPage) {
      long pa = translateFetch(pc);
      long pageOffset = ram.offsetOf(pa & ~PAGE_MASK, (int) Pte.PAGE_SIZE);
      if (pageOffset < 0) {
        return -1;
      }
      fetchPage = page;
      fetchPageOffset = pageOffset;
    }
    return fetchPageOffset + (pc & PAGE_MASK);
  }

  private int fetchSlow(long pc) {
    long pa = translateFetch(pc);
    long pageOffset = ram.offsetOf(pa & ~PAGE_MASK, (int) Pte.PAGE_SIZE);
    if (pageOffset >= 0 && (pc & PAGE_MASK) <= Pte.PAGE_SIZE - 4) {
      fetchPage = pc & ~PAGE_MASK;
      fetchPageOffset = pageOffset;
      return ram.load32(pageOffset + (pc & PAGE_MASK));
    }
    int low = fetchParcel(pa, pc);
    if ((low & 3) != 3) {
      return low;
    }
    long second = pc + 2; // may lie on the next page: translate it on its own
    return low | fetchParcel(translateFetch(second), second) << 16;
  }

  private long translateFetch(long va) {
    long pa = mmu.translate(fetchContext, AccessType.FETCH, va);
    if (pa < 0) {
      throw s.raise(
          pa == Mmu.PAGE_FAULT ? Cause.INSTRUCTION_PAGE_FAULT : Cause.INSTRUCTION_ACCESS_FAULT, va);
    }
    return pa;
  }

  private int fetchParcel(long pa, long va) {
    try {
      return (int) bus.load(pa, 2);
    } catch (DeviceAccessFault fault) {
      throw s.raise(Cause.INSTRUCTION_ACCESS_FAULT, va);
    }
  }

  // ---- loads ----

  /*
   * Every integer and FP load and store goes through load(va, funct3) and store(va, size, value):
   * one call site each in the hot loop, so one TLB and RAM access path each. With one method per
   * instruction kind (seven loads, four stores) the JIT inlined eleven copies of that path into
   * the interpreter loop, which then ran a third slower on real code (docs/BENCHMARKS.md).
   */

  /**
   * LB, LH, LW, LD, LBU, LHU or LWU, selected by {@code funct3} 0..6 (Unpriv 2.6, 5.3): the value
   * at {@code va}, sign-extended for 0..3 and zero-extended for 4..6.
   *
   * @throws TrapSignal for a misaligned address, a page fault or an access fault
   */
  long load(long va, int funct3) {
    int size = funct3 & 3; // log2 of the width in bytes
    if ((va & ((1L << size) - 1)) != 0) {
      return loadMisaligned(va, funct3);
    }
    long offset = tlb.lookup(loadSet, va);
    long value =
        switch (size) {
          case 0 -> offset >= 0 ? ram.load8(offset) : (byte) loadSlow(va, 1);
          case 1 -> offset >= 0 ? ram.load16(offset) : (short) loadSlow(va, 2);
          case 2 -> offset >= 0 ? ram.load32(offset) : (int) loadSlow(va, 4);
          default -> offset >= 0 ? ram.load64(offset) : loadSlow(va, 8);
        };
    return switch (funct3) {
      case 4 -> value & 0xFFL;
      case 5 -> value & 0xFFFFL;
      case 6 -> value & 0xFFFF_FFFFL;
      default -> value;
    };
  }

  /**
   * SB, SH, SW or SD, selected by {@code size} = funct3 0..3 (Unpriv 2.6): stores the low bytes of
   * {@code value} at {@code va}.
   *
   * @throws TrapSignal for a misaligned address, a page fault or an access fault
   */
  void store(long va, int size, long value) {
    if ((va & ((1L << size) - 1)) != 0) {
      storeMisaligned(va, size, value);
      return;
    }
    long offset = tlb.lookup(storeSet, va);
    if (offset < 0) {
      storeSlow(va, 1 << size, value);
      return;
    }
    switch (size) {
      case 0 -> ram.store8(offset, (byte) value);
      case 1 -> ram.store16(offset, (short) value);
      case 2 -> ram.store32(offset, (int) value);
      default -> ram.store64(offset, value);
    }
  }

  /** A misaligned load: trap, or byte by byte (little-endian) when emulated. */
  private long loadMisaligned(long va, int funct3) {
    if (!s.misalignedAccessEmulated) {
      throw s.raise(Cause.LOAD_ADDRESS_MISALIGNED, va);
    }
    int width = 1 << (funct3 & 3);
    long value = 0;
    for (int i = width - 1; i >= 0; i--) {
      value = value << 8 | load(va + i, 4); // LBU
    }
    int unused = 64 - 8 * width;
    return funct3 >= 4 ? value : value << unused >> unused; // sign-extend LH/LW
  }

  /** A misaligned store: trap, or byte by byte when emulated, after both ends translated. */
  private void storeMisaligned(long va, int size, long value) {
    if (!s.misalignedAccessEmulated) {
      throw s.raise(Cause.STORE_ADDRESS_MISALIGNED, va);
    }
    int width = 1 << size;
    translateData(va, AccessType.STORE);
    translateData(va + width - 1, AccessType.STORE);
    for (int i = 0; i < width; i++) {
      store(va + i, 0, value >> (8 * i)); // SB keeps the low byte
    }
  }

  private long loadSlow(long va, int width) {
    long pa = translateData(va, AccessType.LOAD);
    try {
      return bus.load(pa, width);
    } catch (DeviceAccessFault fault) {
      throw s.raise(Cause.LOAD_ACCESS_FAULT, va);
    }
  }

  // ---- stores ----

  private void storeSlow(long va, int width, long value) {
    long pa = translateData(va, AccessType.STORE);
    try {
      bus.store(pa, width, value);
    } catch (DeviceAccessFault fault) {
      throw s.raise(Cause.STORE_ACCESS_FAULT, va);
    }
  }

  // ---- atomics (Unpriv chapter 8) ----

  /**
   * The RAM offset for an LR of {@code width} bytes at {@code va}: LR is a load for alignment,
   * translation and faults. LR from a device is a load access fault.
   */
  long lrOffset(long va, int width) {
    if ((va & (width - 1)) != 0) {
      throw s.raise(Cause.LOAD_ADDRESS_MISALIGNED, va);
    }
    long offset = tlb.lookup(loadSet, va);
    if (offset >= 0) {
      return offset;
    }
    offset = ram.offsetOf(translateData(va, AccessType.LOAD), width);
    if (offset < 0) {
      throw s.raise(Cause.LOAD_ACCESS_FAULT, va);
    }
    return offset;
  }

  /**
   * The RAM offset for an SC or AMO of {@code width} bytes at {@code va}: a store for alignment,
   * translation and faults (Unpriv 8.4). Devices do not support AMOs here: store/AMO access fault.
   */
  long amoOffset(long va, int width) {
    if ((va & (width - 1)) != 0) {
      throw s.raise(Cause.STORE_ADDRESS_MISALIGNED, va);
    }
    long offset = tlb.lookup(storeSet, va);
    if (offset >= 0) {
      return offset;
    }
    offset = ram.offsetOf(translateData(va, AccessType.STORE), width);
    if (offset < 0) {
      throw s.raise(Cause.STORE_ACCESS_FAULT, va);
    }
    return offset;
  }

  private long translateData(long va, int access) {
    long pa = mmu.translate(dataContext, access, va);
    if (pa >= 0) {
      return pa;
    }
    boolean load = access == AccessType.LOAD;
    int cause;
    if (pa == Mmu.PAGE_FAULT) {
      cause = load ? Cause.LOAD_PAGE_FAULT : Cause.STORE_PAGE_FAULT;
    } else {
      cause = load ? Cause.LOAD_ACCESS_FAULT : Cause.STORE_ACCESS_FAULT;
    }
    throw s.raise(cause, va);
  }
}
