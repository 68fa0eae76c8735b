package dev.ovm.memory;

import dev.ovm.clustered.CoreSet;
import dev.ovm.vmm.GuestPhysAddr;
import dev.ovm.vmm.memory.GuestMemory;
import dev.ovm.vmm.memory.GuestMemoryException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A VM's RAM: one contiguous guest-physical range whose 4 KiB guest frames are backed by machine
 * frames of the VMM's {@link MachineMemory}, through this VM's P2M table (guest frame number →
 * machine offset). RISC-V is little-endian, so every multi-byte access is little-endian.
 *
 * <p>Two kinds of access: the {@link GuestMemory} methods take guest-physical addresses, check
 * them and go page by page through the P2M (loaders, device DMA); the {@code load}/{@code store}
 * methods take a <em>machine offset</em> that {@link #offsetOf} returned, and are the hart's hot
 * path (its TLB and fetch-page cache hold machine offsets). Isolation: machine offsets come only
 * from this VM's P2M, which names only frames this RAM allocated, so a guest can never name a
 * frame that is not its own; the machine segment's bounds check stands between a wrong offset and
 * host memory.
 *
 * <p>Population on demand: a guest frame gets a machine frame the first time it is touched (the
 * hart's translation or a DMA write), from the calling physical CPU's frame pool; a DMA read of an
 * untouched frame reads zeros without allocating. Untouched RAM costs no machine memory, and
 * {@link #discard} makes RAM read as zero again by dropping frames, not by writing zeros. If machine
 * memory is exhausted, {@link #offsetOf} answers -1 (the hart reports an access fault; the VMM and
 * other VMs go on) and a DMA write throws {@link GuestMemoryException}.
 *
 * <p>Changing the P2M ({@link #discard}, {@link #discardAll}, {@link #close}) removes the entries,
 * then {@linkplain TlbShootdown#shootDown() shoots down} every hart's cached translations and waits
 * for in-flight DMA, and only then zeroes and frees the old frames. Harts register through
 * {@link #shootdown()}.
 *
 * <p>The {@code cas} methods are atomic with respect to each other and to the atomic accessors, as
 * RISC-V AMOs and LR/SC need when harts run on several host threads.
 *
 * <p>Locking: a read-write lock over the P2M's changes. DMA copies and population hold the read
 * lock; removing entries holds the write lock (briefly: the shootdown wait and the freeing happen
 * after it is released). The hart's hot path takes no lock. Lock order: this RAM's lock, then the
 * frame allocator's locks (population allocates under the read lock).
 */
public final class GuestRam implements GuestMemory, AutoCloseable {
  /*
   * Implementation notes. p2m[gfn] is the machine offset of guest frame gfn, or ABSENT. Entries
   * are read with getAcquire (the frame's zeroing by the allocator happens-before the installing
   * CAS's release) and installed with a CAS from ABSENT, so two harts that touch a new page at
   * once agree on one frame (the loser frees its own, which nobody saw). Entries are removed with
   * getAndSet(ABSENT) under the write lock.
   */
  private static final long PAGE_SIZE = MachineMemory.FRAME_SIZE;
  private static final long PAGE_MASK = PAGE_SIZE - 1;
  private static final long ABSENT = -1;
  private static final VarHandle P2M = MethodHandles.arrayElementVarHandle(long[].class);
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
  private final MachineMemory machine;
  /** Machine memory this RAM made for itself (closed with it), or null if it was given one. */
  private final @Nullable MachineMemory privateMachine;
  private final MemorySegment segment;
  private final long[] p2m;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final TlbShootdown shootdown = new TlbShootdown();
  private volatile boolean closed;

  /**
   * Creates RAM of {@code size} bytes at guest-physical {@code base} whose frames come from
   * {@code machine}; no frame is allocated yet and all of it reads as zero.
   *
   * @throws IllegalArgumentException if size is not a positive multiple of 4 KiB, the range wraps
   *     around the address space, or it has more than 2^31-1 pages
   */
  public GuestRam(long base, long size, MachineMemory machine) {
    this(base, size, machine, false);
  }

  /**
   * Creates RAM backed by machine memory of its own, exactly {@code size} bytes, freed when the RAM
   * is closed (tests and stand-alone machines); see {@link #GuestRam(long, long, MachineMemory)}.
   */
  public GuestRam(long base, long size) {
    this(base, size, privateMachineFor(size), true);
  }

  private GuestRam(long base, long size, MachineMemory machine, boolean ownsMachine) {
    if (size <= 0 || size % PAGE_SIZE != 0 || size / PAGE_SIZE > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + size);
    }
    // Physical addresses are at most 56 bits (Priv spec 4.4.1), so a valid range is non-negative.
    if (base < 0 || base % PAGE_SIZE != 0 || size > Long.MAX_VALUE - base) {
      throw new IllegalArgumentException(String.format("bad RAM range 0x%x+0x%x", base, size));
    }
    this.base = base;
    this.size = size;
    this.machine = machine;
    this.privateMachine = ownsMachine ? machine : null;
    this.segment = machine.segment();
    this.p2m = new long[(int) (size / PAGE_SIZE)];
    Arrays.fill(p2m, ABSENT);
  }

  private static MachineMemory privateMachineFor(long size) {
    if (size <= 0 || size % PAGE_SIZE != 0) {
      throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + size);
    }
    return new MachineMemory(size, CoreSet.of(1));
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

  /** The machine memory this RAM's frames come from. */
  public MachineMemory machine() {
    return machine;
  }

  /** The shootdown every hart of this VM registers with (its TLB caches machine offsets). */
  public TlbShootdown shootdown() {
    return shootdown;
  }

  /**
   * The machine offset of guest-physical {@code pa} for an access of {@code width} bytes, or -1 if
   * {@code [pa, pa + width)} is not wholly inside RAM, crosses a 4 KiB page boundary (the pages
   * may lie anywhere in machine memory: use the bus or {@link #read}), or no machine frame is
   * left to back a page touched for the first time. Populates the page on first touch.
   */
  public long offsetOf(long pa, int width) {
    long offset = pa - base;
    if (offset < 0 || offset > size - width || width <= 0) {
      return -1;
    }
    long inPage = offset & PAGE_MASK;
    if (inPage + width > PAGE_SIZE) {
      return -1;
    }
    long page = machinePage((int) (offset >> MachineMemory.FRAME_SHIFT), true);
    return page < 0 ? -1 : page + inPage;
  }

  /** The machine offset of guest frame {@code gfn}, populating it if asked; -1 if absent. */
  @SuppressWarnings("index") // gfn < p2m.length: callers derive it from an offset checked against size
  private long machinePage(int gfn, boolean populate) {
    long page = (long) P2M.getAcquire(p2m, gfn);
    return page != ABSENT || !populate ? page : populate(gfn);
  }

  @SuppressWarnings({"index", "lock"}) // index: as machinePage. lock: the read lock taken here is
  // released in the finally below, so no lock the caller holds is released (@ReleasesNoLocks)
  private long populate(int gfn) {
    ReentrantReadWriteLock.ReadLock read = lock.readLock();
    read.lock();
    try {
      if (closed) {
        return -1;
      }
      int frame = machine.allocateFrame();
      if (frame < 0) {
        return -1;
      }
      long page = MachineMemory.offsetOf(frame);
      long witness = (long) P2M.compareAndExchange(p2m, gfn, ABSENT, page);
      if (witness == ABSENT) {
        return page;
      }
      machine.freeFrame(frame); // another hart installed a frame first; nobody saw this one
      return witness;
    } finally {
      read.unlock();
    }
  }

  /** The number of guest frames that are backed by a machine frame. */
  public int residentPages() {
    int resident = 0;
    for (int gfn = 0; gfn < p2m.length; gfn++) {
      if ((long) P2M.getAcquire(p2m, gfn) != ABSENT) {
        resident++;
      }
    }
    return resident;
  }

  @Override
  public void read(long gpa, byte[] dst, int dstOffset, int length) {
    checkRange(gpa, length);
    Objects.checkFromIndexSize(dstOffset, length, dst.length);
    copyPages(gpa, dst, dstOffset, length, false);
  }

  @Override
  public void write(long gpa, byte[] src, int srcOffset, int length) {
    checkRange(gpa, length);
    Objects.checkFromIndexSize(srcOffset, length, src.length);
    copyPages(gpa, src, srcOffset, length, true);
  }

  /** Copies page by page through the P2M, under the read lock (so no frame is freed meanwhile). */
  @SuppressWarnings({"index", "lock"}) // index: read/write checked [bufferOffset, +length) against
  // the buffer (Objects.checkFromIndexSize) and every chunk lies inside it. lock: the read lock is
  // released in the finally below, so no lock the caller holds is released (@ReleasesNoLocks)
  private void copyPages(long gpa, byte[] buffer, int bufferOffset, int length, boolean toGuest) {
    ReentrantReadWriteLock.ReadLock read = lock.readLock();
    read.lock();
    try {
      long offset = gpa - base;
      int done = 0;
      while (done < length) {
        long at = offset + done;
        int chunk = (int) Math.min(length - done, PAGE_SIZE - (at & PAGE_MASK));
        int gfn = (int) (at >> MachineMemory.FRAME_SHIFT);
        long page = closed ? ABSENT : machinePage(gfn, toGuest);
        if (page >= 0) {
          long source = page + (at & PAGE_MASK);
          if (toGuest) {
            MemorySegment.copy(buffer, bufferOffset + done, segment, BYTE, source, chunk);
          } else {
            MemorySegment.copy(segment, BYTE, source, buffer, bufferOffset + done, chunk);
          }
        } else if (toGuest) {
          throw new GuestMemoryException(base + at, chunk); // machine memory exhausted, or closed
        } else {
          Arrays.fill(buffer, bufferOffset + done, bufferOffset + done + chunk, (byte) 0);
        }
        done += chunk;
      }
    } finally {
      read.unlock();
    }
  }

  private void checkRange(long gpa, long length) {
    if (!contains(gpa, length)) {
      throw new GuestMemoryException(gpa, length);
    }
  }

  /**
   * Makes {@code [gpa, gpa + length)} read as zero and returns its machine frames: removes the P2M
   * entries, shoots down every hart's cached translations and waits for in-flight DMA, then frees
   * the frames. The next touch of a page populates it afresh.
   *
   * @param gpa a page-aligned guest-physical address inside RAM
   * @param length a multiple of 4 KiB; the range must lie inside RAM
   * @return the number of frames returned
   * @throws GuestMemoryException if the range is not page-aligned or not wholly inside RAM
   */
  public int discard(long gpa, long length) {
    if (((gpa | length) & PAGE_MASK) != 0 || !contains(gpa, length)) {
      throw new GuestMemoryException(gpa, length);
    }
    int first = (int) ((gpa - base) >> MachineMemory.FRAME_SHIFT);
    int count = (int) (length >> MachineMemory.FRAME_SHIFT);
    return unmap(first, count, false);
  }

  /**
   * Returns every machine frame of this RAM and makes all of it read as zero (VM reset); see
   * {@link #discard}.
   *
   * @return the number of frames returned
   */
  public int discardAll() {
    return unmap(0, p2m.length, false);
  }

  @SuppressWarnings({"index", "lock"}) // index: first + count <= p2m.length (discard checked the
  // range against size). lock: the write lock is released in the finally below, so no lock the
  // caller holds is released (@ReleasesNoLocks)
  private int unmap(@GuardSatisfied GuestRam this, int first, int count, boolean close) {
    long[] removed = new long[count];
    int found = 0;
    ReentrantReadWriteLock.WriteLock write = lock.writeLock();
    write.lock(); // waits for in-flight DMA copies and populations; later ones see the change
    try {
      if (close) {
        closed = true;
      }
      for (int i = 0; i < count; i++) {
        long page = (long) P2M.getAndSet(p2m, first + i, ABSENT);
        if (page != ABSENT) {
          removed[found++] = page;
        }
      }
    } finally {
      write.unlock();
    }
    if (found > 0) {
      shootdown.shootDown(); // no hart can use a removed page any more
      for (int i = 0; i < found; i++) {
        machine.freeFrame(MachineMemory.frameOf(removed[i]));
      }
    }
    return found;
  }

  /** Byte at machine offset {@code offset}. */
  public byte load8(long offset) {
    return segment.get(BYTE, offset);
  }

  /** Little-endian halfword at machine offset {@code offset} (any alignment within the page). */
  public short load16(long offset) {
    return segment.get(SHORT, offset);
  }

  /** Little-endian word at machine offset {@code offset} (any alignment within the page). */
  public int load32(long offset) {
    return segment.get(INT, offset);
  }

  /** Little-endian doubleword at machine offset {@code offset} (any alignment within the page). */
  public long load64(long offset) {
    return segment.get(LONG, offset);
  }

  /** Stores a byte at machine offset {@code offset}. */
  public void store8(long offset, byte value) {
    segment.set(BYTE, offset, value);
  }

  /** Stores a little-endian halfword at machine offset {@code offset}. */
  public void store16(long offset, short value) {
    segment.set(SHORT, offset, value);
  }

  /** Stores a little-endian word at machine offset {@code offset}. */
  public void store32(long offset, int value) {
    segment.set(INT, offset, value);
  }

  /** Stores a little-endian doubleword at machine offset {@code offset}. */
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

  /**
   * Returns every frame to machine memory (the VM is destroyed) and, if this RAM made its own
   * machine memory, frees that. Afterwards every access through the P2M fails ({@link #offsetOf}
   * answers -1, DMA throws or reads zeros); nothing must use old machine offsets.
   */
  @Override
  public void close(@GuardSatisfied GuestRam this) {
    if (closed) {
      return;
    }
    unmap(0, p2m.length, true);
    MachineMemory own = privateMachine;
    if (own != null) {
      own.close();
    }
  }
}
