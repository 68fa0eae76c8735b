package dev.ovm.clustered;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A {@code long} cell alone on its cache lines, so that a CPU writing it never invalidates a line
 * another CPU is using for something else (false sharing). The only place in ovm that pads fields
 * (STYLE 6): per-core hot fields elsewhere use these cells.
 *
 * <p>Access modes are named as in {@link VarHandle}: plain, opaque, release/acquire and volatile
 * reads and writes, and atomic read-modify-write operations.
 */
public final class PaddedLong extends PaddedLongRhs {
  /*
   * Implementation notes.
   *
   * Padding by inheritance, as in the LMAX Disruptor's Sequence: HotSpot lays out a superclass's
   * fields before its subclass's, so value (declared in PaddedLongValue) sits between the 15 longs
   * of PaddedLongLhs and the 15 longs of PaddedLongRhs whatever order the fields of one class get.
   * 15 longs = 120 bytes on each side covers a 64-byte line and the adjacent-line prefetcher's
   * 128-byte pair on x86; no JVM flag (-XX:-RestrictContended) is needed. Tests check the layout
   * only indirectly (stress tests); this is a performance property, never a correctness one.
   */

  private static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(PaddedLongValue.class, "value", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Creates a cell holding 0. */
  public PaddedLong() {}

  /**
   * Creates a cell.
   *
   * @param initial the initial value
   */
  public PaddedLong(long initial) {
    value = initial;
  }

  /**
   * Volatile read.
   *
   * @return the value
   */
  public long get() {
    return (long) VALUE.getVolatile(this);
  }

  /**
   * Opaque read: no ordering with other variables, but never torn and eventually sees every write.
   *
   * @return the value
   */
  public long getOpaque() {
    return (long) VALUE.getOpaque(this);
  }

  /**
   * Acquire read.
   *
   * @return the value
   */
  public long getAcquire() {
    return (long) VALUE.getAcquire(this);
  }

  /**
   * Plain read, for the cell's single writer reading back its own writes.
   *
   * @return the value
   */
  public long getPlain() {
    return value;
  }

  /**
   * Volatile write.
   *
   * @param newValue the value to store
   */
  public void set(long newValue) {
    VALUE.setVolatile(this, newValue);
  }

  /**
   * Opaque write.
   *
   * @param newValue the value to store
   */
  public void setOpaque(long newValue) {
    VALUE.setOpaque(this, newValue);
  }

  /**
   * Release write.
   *
   * @param newValue the value to store
   */
  public void setRelease(long newValue) {
    VALUE.setRelease(this, newValue);
  }

  /**
   * Atomically adds (volatile semantics).
   *
   * @param delta the amount to add (wraps on overflow, as {@code long} arithmetic)
   * @return the value before the addition
   */
  public long getAndAdd(long delta) {
    return (long) VALUE.getAndAdd(this, delta);
  }

  /**
   * Atomically replaces the value if it equals {@code expected} (volatile semantics).
   *
   * @param expected the value the cell must hold
   * @param newValue the value to store
   * @return true if the value was replaced
   */
  public boolean compareAndSet(long expected, long newValue) {
    return VALUE.compareAndSet(this, expected, newValue);
  }

  /**
   * Atomically replaces the value (volatile semantics).
   *
   * @param newValue the value to store
   * @return the value before
   */
  public long getAndSet(long newValue) {
    return (long) VALUE.getAndSet(this, newValue);
  }
}

/** Left padding: 120 bytes laid out before the value. */
abstract class PaddedLongLhs {
  long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The value, between the two paddings. */
abstract class PaddedLongValue extends PaddedLongLhs {
  long value;
}

/** Right padding: 120 bytes laid out after the value. */
abstract class PaddedLongRhs extends PaddedLongValue {
  long q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}
