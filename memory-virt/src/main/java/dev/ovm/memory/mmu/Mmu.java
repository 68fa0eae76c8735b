package dev.ovm.memory.mmu;

import dev.ovm.memory.GuestRam;
import dev.ovm.memory.SystemBus;
import dev.ovm.vmm.device.DeviceAccessFault;

/**
 * One hart's address translation: the Sv39 page walker (Priv spec 4.3.2 and 4.4) in front of its
 * {@link Tlb}, plus the translation state it depends on (satp, mstatus.SUM, mstatus.MXR). The hart
 * tells the MMU when that state changes; the MMU decides what to flush.
 *
 * <p>{@link #translate} returns a guest-physical address, or {@link #PAGE_FAULT} or
 * {@link #ACCESS_FAULT}: the hart turns those into the exception that matches the access type
 * (fetch/load/store page fault 12/13/15, access fault 1/5/7). Nothing here throws for any guest
 * page-table content.
 *
 * <p>Walk details: page-table reads go through the {@link SystemBus}; a PTE read that hits nothing
 * is an access fault of the original access. Like QEMU, the walker sets PTE.A on every access and
 * PTE.D on stores itself (the Svade alternative is not modelled), atomically with a
 * compare-and-swap on RAM, and walks again if another hart changed the PTE in between. A PTE
 * that needs A/D set but lies outside RAM gives an access fault.
 *
 * <p>Not thread-safe: used only on its hart's thread.
 */
public final class Mmu {
  /** {@link #translate} result: page fault (Priv 4.3.2 steps 3, 4, 5, 6). */
  public static final long PAGE_FAULT = -1;
  /** {@link #translate} result: access fault (PTE not readable, or the address is not physical). */
  public static final long ACCESS_FAULT = -2;

  /** Internal walk result: the A/D update lost a race, walk again. */
  private static final long RETRY = -3;
  private static final int PTE_SIZE = 8;
  private static final int VPN_BITS = 9;

  private final SystemBus bus;
  private final GuestRam ram;
  private final Tlb tlb = new Tlb();
  private long satp;
  private boolean sum;
  private boolean mxr;
  /** Leaf level and global flag of the last successful walk, for the TLB fill. */
  private int leafLevel;
  private boolean leafGlobal;

  /** Creates an MMU with satp = Bare that walks page tables through {@code bus}. */
  public Mmu(SystemBus bus) {
    this.bus = bus;
    this.ram = bus.ram();
  }

  /** The TLB (for the hart's hot path lookups). */
  public Tlb tlb() {
    return tlb;
  }

  /** The satp value in force. */
  public long satp() {
    return satp;
  }

  /**
   * Installs a new satp (the caller has already ignored writes with an unsupported MODE, Priv
   * 4.1.11). A change of MODE drops every translated entry; a change of ASID or root page drops
   * the non-global ones, because this TLB does not keep several address spaces apart.
   */
  public void setSatp(long value) {
    if (Pte.satpMode(value) != Pte.satpMode(satp)) {
      tlb.flushTranslated();
    } else if (value != satp) {
      tlb.flushNonGlobal();
    }
    satp = value;
  }

  /**
   * Installs mstatus.SUM and mstatus.MXR. A change of MXR drops every translated entry; SUM only
   * selects another context (see {@link #contextFor}).
   */
  public void setStatus(boolean newSum, boolean newMxr) {
    if (newMxr != mxr) {
      tlb.flushTranslated();
    }
    sum = newSum;
    mxr = newMxr;
  }

  /**
   * The TLB context for accesses made with effective privilege {@code privilegeLevel} (0 = U,
   * 1 = S, 3 = M; Priv 1.2): M-mode and Bare mean no translation.
   */
  public int contextFor(int privilegeLevel) {
    if (privilegeLevel == 3 || Pte.satpMode(satp) != Pte.SATP_MODE_SV39) {
      return Tlb.CONTEXT_PHYSICAL;
    }
    if (privilegeLevel == 1) {
      return sum ? Tlb.CONTEXT_SUPERVISOR_SUM : Tlb.CONTEXT_SUPERVISOR;
    }
    return Tlb.CONTEXT_USER;
  }

  /** SFENCE.VMA (Priv 4.2.1); see {@link Tlb#flush}. */
  public void sfence(boolean allAddresses, long va, boolean allAsids, int asid) {
    tlb.flush(allAddresses, va, allAsids, asid);
  }

  /**
   * Translates {@code va} for an access of type {@code access} in {@code context} and, if the
   * page is RAM, caches it in the TLB.
   *
   * @return the guest-physical address, or {@link #PAGE_FAULT}, or {@link #ACCESS_FAULT}
   */
  public long translate(int context, int access, long va) {
    int set = Tlb.set(context, access);
    if (context == Tlb.CONTEXT_PHYSICAL) {
      if (va < 0) {
        return ACCESS_FAULT; // beyond the 56-bit physical address space
      }
      long pageOffset = ram.offsetOf(va & ~(Pte.PAGE_SIZE - 1), (int) Pte.PAGE_SIZE);
      if (pageOffset >= 0) {
        tlb.fill(set, va, pageOffset, 0, 0, true);
      }
      return va;
    }
    long pa;
    do {
      pa = walk(va, access, context);
    } while (pa == RETRY);
    if (pa >= 0) {
      long pageOffset = ram.offsetOf(pa & ~(Pte.PAGE_SIZE - 1), (int) Pte.PAGE_SIZE);
      if (pageOffset >= 0) {
        tlb.fill(set, va, pageOffset, leafLevel, Pte.satpAsid(satp), leafGlobal);
      }
    }
    return pa;
  }

  /** One pass of the Priv 4.3.2 algorithm; RETRY if the A/D update lost a race. */
  private long walk(long va, int access, int context) {
    if (!Pte.canonical(va)) {
      return PAGE_FAULT; // Priv 4.4.1: bits 63:39 must equal bit 38
    }
    long table = (satp & Pte.PPN_MASK) << Pte.PAGE_SHIFT;
    boolean global = false;
    for (int level = Pte.LEVELS - 1; level >= 0; level--) {
      int shift = Pte.PAGE_SHIFT + VPN_BITS * level;
      long pteAddress = table + ((va >> shift) & 0x1FF) * PTE_SIZE;
      long pte;
      try {
        pte = bus.load(pteAddress, PTE_SIZE);
      } catch (DeviceAccessFault fault) {
        return ACCESS_FAULT; // step 2: access fault of the original access type
      }
      // step 3: invalid, W without R, or reserved bits 63:54 set
      if ((pte & Pte.V) == 0
          || ((pte & Pte.R) == 0 && (pte & Pte.W) != 0)
          || (pte & Pte.RESERVED_HIGH) != 0) {
        return PAGE_FAULT;
      }
      global |= (pte & Pte.G) != 0;
      long ppn = (pte >> Pte.PPN_SHIFT) & Pte.PPN_MASK;
      if ((pte & (Pte.R | Pte.X)) == 0) {
        table = ppn << Pte.PAGE_SHIFT; // step 4: pointer to the next level
        continue;
      }
      // step 5: leaf permission check
      if (!permitted(pte, access, context)) {
        return PAGE_FAULT;
      }
      // step 6: misaligned superpage
      if ((ppn & ((1L << (VPN_BITS * level)) - 1)) != 0) {
        return PAGE_FAULT;
      }
      // step 7: A/D update, atomic with respect to other harts
      long needed = Pte.A | (access == AccessType.STORE ? Pte.D : 0);
      if ((pte & needed) != needed) {
        long offset = bus.ram().offsetOf(pteAddress, PTE_SIZE);
        if (offset < 0) {
          return ACCESS_FAULT;
        }
        if (ram.cas64(offset, pte, pte | needed) != pte) {
          return RETRY;
        }
      }
      leafLevel = level;
      leafGlobal = global;
      long offsetMask = (1L << shift) - 1;
      return ((ppn << Pte.PAGE_SHIFT) & ~offsetMask) | (va & offsetMask); // step 8
    }
    return PAGE_FAULT; // a pointer at level 0
  }

  private boolean permitted(long pte, int access, int context) {
    boolean userPage = (pte & Pte.U) != 0;
    boolean userAccessible = context == Tlb.CONTEXT_SUPERVISOR_SUM;
    if (context == Tlb.CONTEXT_USER
        ? !userPage
        : userPage && (access == AccessType.FETCH || !userAccessible)) {
      return false; // Priv 4.3.1: U pages for U-mode; S-mode only with SUM, never to execute
    }
    return switch (access) {
      case AccessType.FETCH -> (pte & Pte.X) != 0;
      case AccessType.LOAD -> (pte & Pte.R) != 0 || (mxr && (pte & Pte.X) != 0);
      default -> (pte & Pte.W) != 0;
    };
  }
}
