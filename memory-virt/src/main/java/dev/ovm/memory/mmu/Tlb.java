package dev.ovm.memory.mmu;

import java.util.Arrays;

/**
 * A hart's software TLB: caches virtual page → machine offset of the backing 4 KiB frame (the guest
 * page table and the VM's P2M combined, as shadow paging does), separately
 * for each translation context and access type, so that a hit needs no permission check at all.
 *
 * <p>Organisation: {@link #SETS} direct-mapped sets of {@link #ENTRIES} entries; a set is one
 * (context, access type) pair, where the context is {@link #CONTEXT_PHYSICAL} (M-mode or
 * satp.MODE=Bare: virtual = physical), {@link #CONTEXT_SUPERVISOR}, {@link
 * #CONTEXT_SUPERVISOR_SUM} (S-mode permissions with mstatus.SUM = 0 or 1) or {@link #CONTEXT_USER}
 * (U-mode permissions). An entry exists only if the walk proved the access allowed for that
 * context with the MXR value in force when it was filled; whoever changes MXR flushes the
 * translated contexts. SUM has contexts of its own because kernels toggle it around every access
 * to user memory, and a flush each time would throw the kernel's translations away. A superpage is cached one 4 KiB piece at a time, each piece
 * remembering the level of its leaf so that an address-specific SFENCE.VMA removes them all.
 *
 * <p>Only RAM pages are cached: device pages are walked on every access, which keeps MMIO exact.
 *
 * <p>Not thread-safe: one TLB belongs to one hart and is used only on that hart's thread.
 */
public final class Tlb {
  /** Entries per set (a power of two). */
  public static final int ENTRIES = 512;
  /** Translation context: no translation (M-mode, or satp.MODE=Bare). */
  public static final int CONTEXT_PHYSICAL = 0;
  /** Translation context: Sv39 with S-mode permissions. */
  public static final int CONTEXT_SUPERVISOR = 1;
  /** Translation context: Sv39 with U-mode permissions. */
  public static final int CONTEXT_USER = 2;
  /** Translation context: Sv39 with S-mode permissions and mstatus.SUM=1. */
  public static final int CONTEXT_SUPERVISOR_SUM = 3;
  /** Number of translation contexts. */
  public static final int CONTEXTS = 4;
  /** Number of sets: one per (context, access type). */
  public static final int SETS = CONTEXTS * AccessType.COUNT;

  private static final int SIZE = SETS * ENTRIES;
  private static final long INVALID = -1;
  private static final int FIRST_TRANSLATED = CONTEXT_SUPERVISOR * AccessType.COUNT * ENTRIES;

  /* Implementation notes: tags hold the virtual page number (va >> 12 & 0xF_FFFF_FFFF_FFFF), which is below 2^52 and so
   * never equals INVALID. offsets hold the machine offset of the 4 KiB frame (from GuestRam.offsetOf, so
   * bounds-checked and P2M-translated when filled; dropped by a TLB shootdown before the frame is freed). levels hold the leaf level (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB). */
  private final long[] tags = new long[SIZE];
  private final long[] offsets = new long[SIZE];
  private final byte[] levels = new byte[SIZE];
  private final int[] asids = new int[SIZE];
  private final boolean[] globals = new boolean[SIZE];
  /** True if a superpage piece may be cached since the last full flush. */
  private boolean superpagesCached;

  /** Creates an empty TLB. */
  public Tlb() {
    Arrays.fill(tags, INVALID);
  }

  /**
   * The base index of the set for {@code context} (one of the CONTEXT_ constants) and
   * {@code access} (an {@link AccessType}), to pass to {@link #lookup} and {@link #fill}.
   */
  public static int set(int context, int access) {
    if (context < 0 || context >= CONTEXTS || access < 0 || access >= AccessType.COUNT) {
      throw new IllegalArgumentException("bad TLB set " + context + "/" + access);
    }
    return (context * AccessType.COUNT + access) * ENTRIES;
  }

  /**
   * The RAM offset of {@code va} if its page is cached in {@code set}, else -1. The caller has
   * checked that the access does not cross a page (aligned accesses never do). Allocation-free:
   * two array loads and a compare.
   *
   * @param set a value returned by {@link #set}
   */
  @SuppressWarnings("index") // set is a multiple of ENTRIES below SIZE (from set()), plus a masked in-set index
  public long lookup(int set, long va) {
    long vpn = (va >> Pte.PAGE_SHIFT) & 0x000F_FFFF_FFFF_FFFFL;
    int i = set + ((int) vpn & (ENTRIES - 1));
    return tags[i] == vpn ? offsets[i] + (va & (Pte.PAGE_SIZE - 1)) : -1;
  }

  /**
   * Caches the translation of {@code va}'s page.
   *
   * @param set a value returned by {@link #set}
   * @param va the virtual address
   * @param pageOffset RAM offset of the 4 KiB physical page that backs {@code va}'s page
   * @param level leaf level of the walk (0 for a 4 KiB page, 1 for 2 MiB, 2 for 1 GiB)
   * @param asid the address-space id the translation belongs to
   * @param global true if the leaf PTE had G set (or the context is physical)
   */
  @SuppressWarnings("index") // as lookup: set from set(), in-set index masked by ENTRIES - 1
  public void fill(int set, long va, long pageOffset, int level, int asid, boolean global) {
    long vpn = (va >> Pte.PAGE_SHIFT) & 0x000F_FFFF_FFFF_FFFFL;
    int i = set + ((int) vpn & (ENTRIES - 1));
    tags[i] = vpn;
    offsets[i] = pageOffset;
    levels[i] = (byte) level;
    asids[i] = asid;
    globals[i] = global;
    if (level > 0) {
      superpagesCached = true;
    }
  }

  /** Drops every entry. */
  public void flushAll() {
    Arrays.fill(tags, INVALID);
    superpagesCached = false;
  }

  /** Drops every Sv39 entry (after a change of satp.MODE or mstatus.MXR). */
  public void flushTranslated() {
    Arrays.fill(tags, FIRST_TRANSLATED, SIZE, INVALID);
  }

  /**
   * SFENCE.VMA (Priv spec 4.2.1): drops the Sv39 entries that match. Physical-context entries
   * are never stale and stay.
   *
   * @param allAddresses true for rs1=x0
   * @param va the virtual address (rs1) when not {@code allAddresses}
   * @param allAsids true for rs2=x0; otherwise global entries are kept
   * @param asid the address-space id (rs2) when not {@code allAsids}
   */
  public void flush(boolean allAddresses, long va, boolean allAsids, int asid) {
    if (allAddresses && allAsids) {
      flushTranslated();
      return;
    }
    long vpn = (va >> Pte.PAGE_SHIFT) & 0x000F_FFFF_FFFF_FFFFL;
    if (allAddresses || superpagesCached) {
      for (int i = FIRST_TRANSLATED; i < SIZE; i++) {
        flushEntry(i, allAddresses, vpn, allAsids, asid);
      }
    } else {
      int slot = (int) vpn & (ENTRIES - 1);
      for (int set = FIRST_TRANSLATED; set < SIZE; set += ENTRIES) {
        flushEntry(set + slot, false, vpn, allAsids, asid);
      }
    }
  }

  @SuppressWarnings("index") // callers pass i in [FIRST_TRANSLATED, SIZE): the loops above
  private void flushEntry(int i, boolean anyAddress, long vpn, boolean anyAsid, int asid) {
    long tag = tags[i];
    if (tag == INVALID) {
      return;
    }
    if (!anyAddress) {
      // compare the virtual page numbers above the leaf's level: 9 bits of VPN per level
      int shift = 9 * levels[i];
      if ((tag >> shift) != (vpn >> shift)) { // both below 2^52, so >> is >>>
        return;
      }
    }
    if (!anyAsid && (globals[i] || asids[i] != asid)) {
      return;
    }
    tags[i] = INVALID;
  }

  /** Drops every non-global Sv39 entry (kept for an satp write that changes the address space). */
  @SuppressWarnings("index") // all five arrays have SIZE entries; i < SIZE
  public void flushNonGlobal() {
    for (int i = FIRST_TRANSLATED; i < SIZE; i++) {
      if (!globals[i]) {
        tags[i] = INVALID;
      }
    }
  }
}
