package dev.ovm.clustered;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.checkerframework.checker.lock.qual.Holding;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The per-physical-CPU representatives of one clustered object, in the sense of Tornado and K42
 * (Gamsa et al., OSDI '99; Appavoo et al., ACM TOCS 2007): one representative ("rep") per physical
 * CPU of a {@link CoreSet}, plus one shared by all threads that are not physical CPUs, each created
 * by the {@link MissHandler} the first time its CPU asks for it.
 *
 * <p>The object's <em>root</em> — the state shared by all CPUs — is the user's class, which holds a
 * {@code ClusteredObject<FooRep>} next to its global fields (STYLE 5: {@code FooRoot} and
 * {@code FooRep} are different types; {@link ClusteredCounter} is an example). The root answers
 * local operations through {@link #rep()} and global ones through {@link #forEachRep}.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #rep()} returns the calling CPU's rep, found without lock or hash (a type check, a
 *       field read and an array load) once it exists.
 *   <li>The miss handler returns at most once per slot, ever, and never runs concurrently with
 *       itself: racing first uses of a slot (possible for the outside slot, or for two
 *       {@link CoreThread}s with one index) all get the single rep it made. If it throws, nothing
 *       is installed, the exception reaches the caller and the next use retries.
 *   <li>A rep, once installed, is never replaced or removed; its construction happens-before every
 *       use of it through this object.
 *   <li>Reps must be safe for the concurrency their own contract promises: a rep is normally used
 *       by one CPU, but the outside slot is shared, CPUs may share an index, and global operations
 *       visit reps from other threads.
 * </ul>
 *
 * <p>Lock order: the object's private miss lock is taken only on a miss (the first use of a slot)
 * and is held while the miss handler runs. It is a leaf except for what the miss handler takes;
 * a miss handler therefore must not take a lock that is ever held while calling {@code rep()} of
 * this object, and must not call {@code rep()} of this object (that is detected and refused). The
 * hot path and {@link #forEachRep} take no lock.
 *
 * @param <R> the representative type
 */
public final class ClusteredObject<R extends Object> {
  /*
   * Implementation notes.
   *
   * The reps live in a plain Object[] indexed by slot (CoreSet.slotOf), read with getAcquire and
   * written with setRelease through an array-element VarHandle: on x86 and in the JIT's eyes that
   * is an ordinary load, but it guarantees that a thread seeing a rep sees it fully constructed
   * even if the rep has no final fields. The array is not padded: each element is written once
   * (null -> rep) and then only read, and read-shared cache lines cost nothing; the reps
   * themselves are separate objects, and anything in them that is written often pads itself
   * (PaddedLong).
   *
   * Creation is serialized by missLock rather than a CAS-and-discard race: the handler may do real
   * work (allocate a frame pool, register a run queue) whose side effects a loser could not undo,
   * and misses are rare (at most one per slot), so the lock costs nothing that matters. Under the
   * lock the slot is re-read; only the first thread finds it empty, so there are no losers.
   */

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);

  private final CoreSet cores;
  /** {@code cores.size()}, which is also the outside slot; kept here to save a load per rep(). */
  private final int coreCount;
  private final MissHandler<R> missHandler;
  private final @Nullable Object[] slots;
  private final Object missLock = new Object();

  /**
   * Creates a clustered object with no representatives yet.
   *
   * @param cores the physical CPUs that get their own representative
   * @param missHandler builds a representative on a slot's first use
   */
  public ClusteredObject(CoreSet cores, MissHandler<R> missHandler) {
    this.cores = cores;
    this.coreCount = cores.size();
    this.missHandler = missHandler;
    this.slots = new @Nullable Object[cores.slotCount()];
  }

  /**
   * Returns the representative of the calling thread's physical CPU (or the outside rep for a
   * thread that is not one of this object's CPUs), creating it on first use.
   *
   * @return the rep, never null
   * @throws IllegalStateException if this misses from inside this object's own miss handler
   * @throws RuntimeException whatever the miss handler throws on a miss
   */
  public R rep() {
    int core = Cores.currentIndex();
    int slot = core >= 0 && core < coreCount ? core : coreCount; // CoreSet.slotOf, inlined
    Object rep = (Object) SLOTS.getAcquire(slots, slot);
    return rep != null ? cast(rep) : miss(slot);
  }

  /**
   * Returns the representative of a given physical CPU, creating it if needed: for a root that
   * acts on another CPU's rep (inserting into another CPU's run queue, stealing frames).
   *
   * @param coreIndex any core index; indices outside the core set name the outside rep
   * @return the rep, never null
   * @throws IllegalStateException if this misses from inside this object's own miss handler
   */
  public R repOf(int coreIndex) {
    int slot = cores.slotOf(coreIndex);
    Object rep = (Object) SLOTS.getAcquire(slots, slot);
    return rep != null ? cast(rep) : miss(slot);
  }

  /**
   * Returns the representative of a given physical CPU if it exists, never creating one.
   *
   * @param coreIndex any core index; indices outside the core set name the outside rep
   * @return the rep, or null if that slot has not been used yet
   */
  public @Nullable R repIfPresent(int coreIndex) {
    Object rep = (Object) SLOTS.getAcquire(slots, cores.slotOf(coreIndex));
    return rep != null ? cast(rep) : null;
  }

  /**
   * Visits every representative that exists, in slot order (physical CPUs by index, then the
   * outside rep), taking no lock. Weakly consistent: a rep created while the visit runs may or may
   * not be visited; every rep created before the call is.
   *
   * @param visitor called once per existing rep
   */
  public void forEachRep(RepVisitor<? super R> visitor) {
    for (int slot = 0; slot < slots.length; slot++) {
      Object rep = (Object) SLOTS.getAcquire(slots, slot);
      if (rep != null) {
        visitor.visit(cores.coreOfSlot(slot), cast(rep));
      }
    }
  }

  /**
   * Returns a snapshot of the existing representatives, in slot order (as {@link #forEachRep}).
   *
   * @return an unmodifiable list
   */
  public List<R> reps() {
    List<R> reps = new ArrayList<>();
    forEachRep((core, rep) -> reps.add(rep));
    return Collections.unmodifiableList(reps);
  }

  /**
   * Returns the physical CPUs this object has representatives for.
   *
   * @return the core set given at construction
   */
  public CoreSet coreSet() {
    return cores;
  }

  private R miss(int slot) {
    if (Thread.holdsLock(missLock)) {
      // only a miss handler runs with missLock held: it caused a miss on its own object
      throw new IllegalStateException("a miss handler used its own clustered object");
    }
    synchronized (missLock) {
      return installLocked(slot);
    }
  }

  @Holding("missLock")
  private R installLocked(int slot) {
    Object existing = (Object) SLOTS.getAcquire(slots, slot);
    if (existing != null) {
      return cast(existing);
    }
    R created = Objects.requireNonNull(
        missHandler.createRep(cores.coreOfSlot(slot)), "miss handler returned null");
    SLOTS.setRelease(slots, slot, created);
    return created;
  }

  @SuppressWarnings("unchecked") // only values of type R are ever stored in slots (installLocked)
  private static <R extends Object> R cast(Object rep) {
    return (R) rep;
  }
}
