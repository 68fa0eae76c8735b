package dev.ovm.memory.mmu;

/**
 * Sv39 page-table-entry and {@code satp} field constants, named as in Priv spec 4.1.11 and 4.4.1.
 */
public final class Pte {
  /** Valid. */
  public static final long V = 1L << 0;
  /** Readable. */
  public static final long R = 1L << 1;
  /** Writable. */
  public static final long W = 1L << 2;
  /** Executable. */
  public static final long X = 1L << 3;
  /** Accessible to U-mode. */
  public static final long U = 1L << 4;
  /** Global mapping (exists in all address spaces). */
  public static final long G = 1L << 5;
  /** Accessed. */
  public static final long A = 1L << 6;
  /** Dirty. */
  public static final long D = 1L << 7;
  /** Bits 63:54 (N, PBMT and reserved): this hart implements neither Svnapot nor Svpbmt. */
  public static final long RESERVED_HIGH = 0x3FFL << 54;
  /** Bit position of PPN[0] in a PTE. */
  public static final int PPN_SHIFT = 10;
  /** Width mask of the 44-bit PPN field (in a PTE and in satp). */
  public static final long PPN_MASK = (1L << 44) - 1;

  /** satp.MODE value for no translation. */
  public static final long SATP_MODE_BARE = 0;
  /** satp.MODE value for Sv39. */
  public static final long SATP_MODE_SV39 = 8;
  /** Bit position of satp.MODE (RV64). */
  public static final int SATP_MODE_SHIFT = 60;
  /** Bit position of satp.ASID (RV64). */
  public static final int SATP_ASID_SHIFT = 44;
  /** Mask of the 16-bit satp.ASID field after shifting. */
  public static final long SATP_ASID_MASK = 0xFFFF;

  /** Page size and offset width. */
  public static final int PAGE_SHIFT = 12;
  /** Bytes per page. */
  public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
  /** Sv39 levels (LEVELS in Priv spec 4.3.2). */
  public static final int LEVELS = 3;
  /** Bits of virtual address translated by Sv39. */
  public static final int VA_BITS = 39;

  private Pte() {}

  /** satp.MODE of a satp value. */
  public static long satpMode(long satp) {
    return (satp >> SATP_MODE_SHIFT) & 0xF;
  }

  /** satp.ASID of a satp value. */
  public static int satpAsid(long satp) {
    return (int) ((satp >> SATP_ASID_SHIFT) & SATP_ASID_MASK);
  }

  /** True if {@code va} is a canonical Sv39 address: bits 63:39 all equal bit 38 (Priv 4.4.1). */
  public static boolean canonical(long va) {
    return (va << (64 - VA_BITS)) >> (64 - VA_BITS) == va;
  }
}
