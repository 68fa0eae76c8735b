package dev.ovm.clustered.bench;

import org.checkerframework.checker.lock.qual.GuardedBy;

/**
 * The baseline a clustered counter replaces: one {@code long} behind one lock, shared by all
 * physical CPUs. Lock order: its monitor is a leaf.
 */
public final class LockedCounter {
  @GuardedBy("this")
  private long value;

  /** Adds one under the lock. */
  public synchronized void increment() {
    value++;
  }

  /**
   * Reads under the lock.
   *
   * @return the count
   */
  public synchronized long sum() {
    return value;
  }
}
