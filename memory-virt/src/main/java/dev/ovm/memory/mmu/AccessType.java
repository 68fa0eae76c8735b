package dev.ovm.memory.mmu;

/**
 * The three kinds of memory access the Sv39 translation distinguishes (Priv spec 4.3.2 step 5):
 * an instruction fetch, a load, and a store or AMO. They are plain {@code int} constants so that
 * the hart's hot path can index arrays with them without allocating or switching on an enum.
 */
public final class AccessType {
  /** Instruction fetch: needs PTE.X. */
  public static final int FETCH = 0;
  /** Load (and LR): needs PTE.R, or PTE.X when mstatus.MXR=1. */
  public static final int LOAD = 1;
  /** Store, SC and AMO: needs PTE.W; sets PTE.D. */
  public static final int STORE = 2;
  /** Number of access types. */
  public static final int COUNT = 3;

  private AccessType() {}
}
