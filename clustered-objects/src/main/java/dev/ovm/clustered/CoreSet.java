package dev.ovm.clustered;

import org.checkerframework.checker.index.qual.NonNegative;
import org.checkerframework.checker.index.qual.Positive;
import org.checkerframework.checker.lock.qual.GuardSatisfied;

/**
 * The physical CPUs of a VMM: how many there are and how a core index maps to a representative
 * slot. Core {@code i} with {@code 0 <= i < size()} owns slot {@code i}; every other index (a
 * thread that is not a physical CPU, or a {@link CoreThread} whose index lies beyond this set) maps
 * to the single shared <em>outside slot</em> {@code size()}. A clustered object over this set
 * therefore has {@link #slotCount()} = {@code size() + 1} slots.
 *
 * <p>Immutable.
 */
public final class CoreSet {
  private final @Positive int size;

  private CoreSet(@Positive int size) {
    this.size = size;
  }

  /**
   * Returns a set of {@code size} physical CPUs (indices {@code 0 .. size-1}). The number is a
   * configuration choice: it may exceed the host's cores.
   *
   * @param size the number of physical CPUs, at least 1
   * @return the core set
   * @throws IllegalArgumentException if {@code size < 1} or {@code size == Integer.MAX_VALUE}
   */
  public static CoreSet of(int size) {
    if (size < 1 || size == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a core set needs 1 .. 2^31-2 physical CPUs: " + size);
    }
    return new CoreSet(size);
  }

  /**
   * Returns the default: one physical CPU per host core ({@link Runtime#availableProcessors()}).
   *
   * @return the core set of the host
   */
  public static CoreSet ofHost() {
    return of(Runtime.getRuntime().availableProcessors());
  }

  /**
   * Returns the number of physical CPUs.
   *
   * @return at least 1
   */
  public @Positive int size() {
    return size;
  }

  /**
   * Returns the number of representative slots: one per physical CPU plus the outside slot.
   *
   * @return {@code size() + 1}
   */
  public @Positive int slotCount() {
    return size + 1;
  }

  /**
   * Returns the index of the outside slot, shared by all threads that are not one of this set's
   * physical CPUs.
   *
   * @return {@code size()}
   */
  public @Positive int outsideSlot() {
    return size;
  }

  /**
   * Tells whether {@code coreIndex} names one of this set's physical CPUs.
   *
   * @param coreIndex any core index, including {@link Cores#OUTSIDE}
   * @return true if {@code 0 <= coreIndex < size()}
   */
  public boolean contains(int coreIndex) {
    return coreIndex >= 0 && coreIndex < size;
  }

  /**
   * Maps a core index to its representative slot.
   *
   * @param coreIndex any core index, including {@link Cores#OUTSIDE}
   * @return {@code coreIndex} if {@link #contains(int) contained}, else {@link #outsideSlot()}
   */
  public @NonNegative int slotOf(int coreIndex) {
    return coreIndex >= 0 && coreIndex < size ? coreIndex : size;
  }

  /**
   * Maps a slot back to the core index a miss handler or visitor is told.
   *
   * @param slot a slot of this set, {@code 0 .. size()}
   * @return {@code slot} for a physical CPU's slot, {@link Cores#OUTSIDE} for the outside slot
   */
  public int coreOfSlot(int slot) {
    return slot == size ? Cores.OUTSIDE : slot;
  }

  /**
   * Creates (but does not start) the thread of one of this set's physical CPUs.
   *
   * @param coreIndex the physical CPU, {@code 0 .. size()-1}
   * @param body what the thread runs
   * @param name the thread's name
   * @return the new, unstarted thread
   * @throws IllegalArgumentException if {@code coreIndex} is not in this set
   */
  public CoreThread newThread(int coreIndex, Runnable body, String name) {
    if (!contains(coreIndex)) {
      throw new IllegalArgumentException("core " + coreIndex + " is not in 0.." + (size - 1));
    }
    return new CoreThread(coreIndex, body, name);
  }

  @Override
  public String toString(@GuardSatisfied CoreSet this) {
    return "CoreSet[" + size + "]";
  }
}
