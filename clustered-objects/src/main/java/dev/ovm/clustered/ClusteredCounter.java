package dev.ovm.clustered;

/**
 * A statistics counter as a clustered object: the root (this class) holds one padded cell per
 * physical CPU, created the first time that CPU counts; {@link #add} touches only the calling CPU's
 * cell, {@link #sum} visits all of them. The statistics counters of K42 are built the same way
 * (Appavoo et al., ACM TOCS 2007, section 3), as is {@code java.util.concurrent.atomic.LongAdder},
 * whose cells are created on contention rather than per CPU.
 *
 * <p>Contract: every {@link #add} made before a {@link #sum} call starts (happens-before) is
 * counted in it; adds concurrent with the sum may or may not be. The sum is not an atomic snapshot,
 * so with concurrent adds it may be a value the counter never held at any instant (as with
 * {@code LongAdder}). Arithmetic wraps as {@code long} does. Takes no lock.
 */
public final class ClusteredCounter {
  /*
   * Implementation notes.
   *
   * The rep is a bare PaddedLong: one counter needs no more per-CPU state, and the padding keeps
   * two CPUs' cells off each other's cache lines. The add is an atomic getAndAdd (x86 LOCK XADD)
   * even though a cell normally has a single writer: the outside slot is shared by every thread
   * that is not a physical CPU, and two CoreThreads may carry the same index, so a plain
   * read-then-write could lose counts. Uncontended, on a line the CPU already owns, the atomic add
   * costs a few nanoseconds; the cost that a single shared counter pays (the line bouncing between
   * CPUs) is what the per-CPU cells remove.
   */

  private final ClusteredObject<PaddedLong> cells;

  /**
   * Creates a counter at zero with no cells yet.
   *
   * @param cores the physical CPUs that get their own cell
   */
  public ClusteredCounter(CoreSet cores) {
    this.cells = new ClusteredObject<>(cores, core -> new PaddedLong());
  }

  /** Adds one to the calling physical CPU's cell. */
  public void increment() {
    cells.rep().getAndAdd(1);
  }

  /**
   * Adds to the calling physical CPU's cell.
   *
   * @param delta the amount (may be negative)
   */
  public void add(long delta) {
    cells.rep().getAndAdd(delta);
  }

  /**
   * Returns the total over all cells (see the class contract for concurrent adds).
   *
   * @return the sum of every cell
   */
  public long sum() {
    long total = 0;
    for (PaddedLong cell : cells.reps()) {
      total += cell.get();
    }
    return total;
  }

  /**
   * Returns what one physical CPU has counted.
   *
   * @param coreIndex any core index; indices outside the core set name the outside cell
   * @return that cell's value, 0 if it was never used
   */
  public long valueOf(int coreIndex) {
    PaddedLong cell = cells.repIfPresent(coreIndex);
    return cell == null ? 0 : cell.get();
  }

  /**
   * Returns how many cells exist: the physical CPUs (and the outside slot) that have counted.
   *
   * @return 0 .. {@code coreSet.slotCount()}
   */
  public int cellCount() {
    return cells.reps().size();
  }
}
