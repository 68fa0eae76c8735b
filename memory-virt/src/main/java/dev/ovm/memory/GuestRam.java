package dev.ovm.memory;

import dev.ovm.vmm.GuestPhysAddr;
import dev.ovm.vmm.memory.GuestMemory;
import dev.ovm.vmm.memory.GuestMemoryException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.checkerframework.checker.lock.qual.GuardSatisfied;

/**
 * A VM's RAM: one contiguous guest-physical range backed by an off-heap segment owned by this
 * object. RISC-V is little-endian, so every multi-byte access is little-endian.
 *
 * <p>Two kinds of access: the {@link GuestMemory} methods take guest-physical addresses and check
 * them (loaders, device DMA); the {@code load}/{@code store} methods take an offset into RAM and
 * are meant for the hart's hot path, which has already translated and range-checked the address
 * through its TLB. Even there, the segment's own bounds check stands between a wrong offset and
 * host memory: an offset outside RAM throws {@link IndexOutOfBoundsException}, never reads the host.
 *
 * <p>The {@code cas} methods are atomic with respect to each other and to the atomic accessors, as
 * RISC-V AMOs and LR/SC need when harts run on several host threads.
 */
public final class GuestRam implements GuestMemory, AutoCloseable {
  private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
  private static final ValueLayout.OfShort SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfInt INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle ATOMIC_INT =
      ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
  private static final VarHandle ATOMIC_LONG =
      ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

  private final long base;
  private final long size;
  private final Arena arena;
  private final MemorySegment segment;

  /**
   * Allocates zeroed RAM of {@code size} bytes at guest-physical {@code base}.
   *
   * @throws IllegalArgumentException if size is not a positive multiple of 4 KiB or the range
   *     wraps around the address space
   */
  public GuestRam(long base, long size) {
    if (size <= 0 || size % 4096 != 0) {
      throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + size);
    }
    // Physical addresses are at most 56 bits (Priv spec 4.4.1), so a valid range is non-negative.
    if (base < 0 || base % 4096 != 0 || size > Long.MAX_VALUE - base) {
      throw new IllegalArgumentException(String.format("bad RAM range 0x%x+0x%x", base, size));
    }
    this.base = base;
    this.size = size;
    this.arena = Arena.ofShared();
    this.segment = arena.allocate(size, 4096);
  }

  @Override
  public GuestPhysAddr base() {
    return new GuestPhysAddr(base);
  }

  /** Guest-physical address of the first byte, as a raw value. */
  public long baseAddress() {
    return base;
  }

  @Override
  public long size() {
    return size;
  }

  /**
   * Offset into RAM of guest-physical {@code pa}, or -1 if {@code [pa, pa + width)} is not
   * wholly inside RAM.
   */
  public long offsetOf(long pa, int width) {
    long offset = pa - base;
    return (offset >= 0 && offset <= size - width) ? offset : -1;
  }

  @Override
  public void read(long gpa, byte[] dst, int dstOffset, int length) {
    checkRange(gpa, length);
    MemorySegment.copy(segment, BYTE, gpa - base, dst, dstOffset, length);
  }

  @Override
  public void write(long gpa, byte[] src, int srcOffset, int length) {
    checkRange(gpa, length);
    MemorySegment.copy(src, srcOffset, segment, BYTE, gpa - base, length);
  }

  private void checkRange(long gpa, long length) {
    if (!contains(gpa, length)) {
      throw new GuestMemoryException(gpa, length);
    }
  }

  /** Byte at RAM offset {@code offset}. */
  public byte load8(long offset) {
    return segment.get(BYTE, offset);
  }

  /** Little-endian halfword at RAM offset {@code offset} (any alignment). */
  public short load16(long offset) {
    return segment.get(SHORT, offset);
  }

  /** Little-endian word at RAM offset {@code offset} (any alignment). */
  public int load32(long offset) {
    return segment.get(INT, offset);
  }

  /** Little-endian doubleword at RAM offset {@code offset} (any alignment). */
  public long load64(long offset) {
    return segment.get(LONG, offset);
  }

  /** Stores a byte at RAM offset {@code offset}. */
  public void store8(long offset, byte value) {
    segment.set(BYTE, offset, value);
  }

  /** Stores a little-endian halfword at RAM offset {@code offset}. */
  public void store16(long offset, short value) {
    segment.set(SHORT, offset, value);
  }

  /** Stores a little-endian word at RAM offset {@code offset}. */
  public void store32(long offset, int value) {
    segment.set(INT, offset, value);
  }

  /** Stores a little-endian doubleword at RAM offset {@code offset}. */
  public void store64(long offset, long value) {
    segment.set(LONG, offset, value);
  }

  /**
   * Atomically replaces the naturally aligned word at {@code offset} with {@code update} if it
   * equals {@code expected}; returns the value found.
   */
  public int cas32(long offset, int expected, int update) {
    return (int) ATOMIC_INT.compareAndExchange(segment, offset, expected, update);
  }

  /**
   * Atomically replaces the naturally aligned doubleword at {@code offset} with {@code update} if
   * it equals {@code expected}; returns the value found.
   */
  public long cas64(long offset, long expected, long update) {
    return (long) ATOMIC_LONG.compareAndExchange(segment, offset, expected, update);
  }

  /** Atomic (volatile) read of the naturally aligned word at {@code offset}. */
  public int loadAtomic32(long offset) {
    return (int) ATOMIC_INT.getVolatile(segment, offset);
  }

  /** Atomic (volatile) read of the naturally aligned doubleword at {@code offset}. */
  public long loadAtomic64(long offset) {
    return (long) ATOMIC_LONG.getVolatile(segment, offset);
  }

  /** Frees the host memory. The RAM must not be used afterwards. */
  @Override
  public void close(@GuardSatisfied GuestRam this) {
    arena.close();
  }
}
