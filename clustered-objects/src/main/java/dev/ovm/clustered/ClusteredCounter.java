package dev.ovm.clustered;

/**
 * A statistics counter as a clustered object: the root (this class) and one representative per
 * physical CPU holding a padded cell, created the first time that CPU counts; {@link #add} touches
 * only the calling CPU's cell, with a plain load and store (no atomic instruction, no lock), and
 * {@link #sum} visits all cells. K42 builds its statistics counters the same way (Appavoo et al.,
 * ACM TOCS 2007); {@code java.util.concurrent.atomic.LongAdder} is the relative whose cells are
 * created on contention instead of per CPU.
 *
 * <p>Contract: every {@link #add} that happens-before a {@link #sum} call is counted in it; adds
 * concurrent with the sum may or may not be. The sum is not an atomic snapshot, so with concurrent
 * adds it may be a value the counter never held at any instant (as with {@code LongAdder}).
 * Arithmetic wraps as {@code long} does. Exact for any mix of threads, including threads that are
 * not physical CPUs and several threads with one core index; fast for one thread per core index,
 * which is how the VMM runs. Takes no lock.
 */
public final class ClusteredCounter {
  /*
   * Implementation notes.
   *
   * A rep's cell has exactly one writer, the thread that created the rep (its owner), so the owner
   * adds with getPlain + setOpaque: an ordinary load and store on a line it keeps in its own cache,
   * with nothing to lose to a concurrent writer. Any other thread that lands on the same slot (a
   * second thread with the same core index, or a second thread outside the core set) is not the
   * owner and adds atomically to the root's shared cell instead; that cell is the only place where
   * writers can contend, and in the VMM nothing counts there. Readers use volatile reads; opaque
   * stores are never torn, and happens-before carries completed adds to a later sum.
   *
   * Padding: each cell is a PaddedLong, so two CPUs' cells never share a cache line; the rep
   * objects themselves are read-only after creation.
   */

  private final ClusteredObject<CounterRep> reps;
  private final PaddedLong shared = new PaddedLong();

  /**
   * Creates a counter at zero with no cells yet.
   *
   * @param cores the physical CPUs that get their own cell
   */
  public ClusteredCounter(CoreSet cores) {
    this.reps = new ClusteredObject<>(cores, core -> new CounterRep(Thread.currentThread()));
  }

  /** Adds one to the calling physical CPU's cell. */
  public void increment() {
    add(1);
  }

  /**
   * Adds to the calling physical CPU's cell.
   *
   * @param delta the amount (may be negative)
   */
  public void add(long delta) {
    CounterRep rep = reps.rep();
    if (rep.owner == Thread.currentThread()) {
      PaddedLong cell = rep.cell;
      cell.setOpaque(cell.getPlain() + delta);
    } else {
      shared.getAndAdd(delta);
    }
  }

  /**
   * Returns the total over all cells (see the class contract for concurrent adds).
   *
   * @return the sum of every cell
   */
  public long sum() {
    long total = shared.get();
    for (CounterRep rep : reps.reps()) {
      total += rep.cell.get();
    }
    return total;
  }

  /**
   * Returns what one physical CPU's owner thread has counted (adds by other threads sharing its
   * index are in {@link #sum()} only).
   *
   * @param coreIndex any core index; indices outside the core set name the outside cell
   * @return that cell's value, 0 if it was never used
   */
  public long valueOf(int coreIndex) {
    CounterRep rep = reps.repIfPresent(coreIndex);
    return rep == null ? 0 : rep.cell.get();
  }

  /**
   * Returns how many cells exist: the physical CPUs (and the outside slot) that have counted.
   *
   * @return 0 .. {@code coreSet.slotCount()}
   */
  public int cellCount() {
    return reps.reps().size();
  }
}
