package dev.ovm.memory.mmu;

import dev.ovm.memory.GuestRam;

/**
 * Builds Sv39 page tables in guest RAM for tests (Priv spec 4.4): a root table plus tables
 * allocated from a bump pointer, and leaves at any of the three levels.
 */
public final class PageTables {
  /** Leaf flag sets. */
  public static final long RWX = Pte.R | Pte.W | Pte.X;

  private final GuestRam ram;
  private final long root;
  private long next;

  /** Tables live from {@code area} upwards (page-aligned, inside RAM). */
  public PageTables(GuestRam ram, long area) {
    this.ram = ram;
    this.root = area;
    this.next = area + Pte.PAGE_SIZE;
  }

  /** satp value for Sv39 with this root and {@code asid}. */
  public long satp(int asid) {
    return 8L << 60 | (long) asid << 44 | root >>> 12;
  }

  /** Physical address of the root table. */
  public long root() {
    return root;
  }

  /** Maps the page of {@code va} at {@code level} (0 = 4 KiB, 1 = 2 MiB, 2 = 1 GiB) to pa. */
  public long map(long va, long pa, int level, long flags) {
    long table = root;
    for (int l = 2; l > level; l--) {
      long entry = table + index(va, l) * 8;
      long pte = read(entry);
      if ((pte & Pte.V) == 0) {
        long fresh = next;
        next += Pte.PAGE_SIZE;
        pte = (fresh >>> 12) << 10 | Pte.V;
        write(entry, pte);
      }
      table = (pte >>> 10) << 12;
    }
    long entry = table + index(va, level) * 8;
    write(entry, (pa >>> 12) << 10 | flags | Pte.V);
    return entry;
  }

  /** Writes a raw PTE for the page of {@code va} at {@code level} (tables must exist). */
  public long entryAddress(long va, int level) {
    long table = root;
    for (int l = 2; l > level; l--) {
      table = (read(table + index(va, l) * 8) >>> 10) << 12;
    }
    return table + index(va, level) * 8;
  }

  private static long index(long va, int level) {
    return (va >>> (12 + 9 * level)) & 0x1FF;
  }

  public long read(long pa) {
    return ram.load64(ram.offsetOf(pa, 8));
  }

  public void write(long pa, long value) {
    ram.store64(ram.offsetOf(pa, 8), value);
  }
}
