package dev.ovm.memory;

import dev.ovm.clustered.CoreSet;
import dev.ovm.memory.frames.FrameAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.checkerframework.checker.lock.qual.GuardSatisfied;

/**
 * The VMM's machine memory: one off-heap segment divided into 4 KiB machine frames, shared by all
 * VMs, and the clustered {@link FrameAllocator} that hands the frames out. A VM's {@link GuestRam}
 * maps its guest frames to machine frames (its P2M) and reaches their bytes through {@link
 * #segment()} at machine offsets ({@code frame * 4096 + offset in page}), so the hart's hot path
 * stays one segment access.
 *
 * <p>Contract: a frame returned by {@link #allocateFrame()} reads as zero; {@link #freeFrame}
 * zeroes the frame before it can be handed out again, so no VM ever sees another VM's data in a
 * fresh frame. The segment's own bounds check keeps every machine offset inside machine memory.
 * Thread-safe.
 */
public final class MachineMemory implements AutoCloseable {
  /** Bytes per machine frame (and per guest page). */
  public static final int FRAME_SIZE = 4096;
  /** log2 of {@link #FRAME_SIZE}. */
  public static final int FRAME_SHIFT = 12;
  /** Frames per allocator chunk (2 MiB): the batch a CPU's rep takes from or returns to the root. */
  public static final int CHUNK_FRAMES = 512;

  private final long bytes;
  private final Arena arena;
  private final MemorySegment segment;
  private final FrameAllocator allocator;

  /**
   * Allocates {@code bytes} of zeroed machine memory.
   *
   * @param bytes a positive multiple of 4 KiB, at most 2^31-1 frames
   * @param cores the physical CPUs (by VMM-wide index) that get a frame pool of their own
   * @throws IllegalArgumentException if {@code bytes} is not such a size
   */
  public MachineMemory(long bytes, CoreSet cores) {
    if (bytes <= 0 || bytes % FRAME_SIZE != 0 || bytes / FRAME_SIZE > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("machine memory must be a positive multiple of 4 KiB: " + bytes);
    }
    this.bytes = bytes;
    this.arena = Arena.ofShared();
    this.segment = arena.allocate(bytes, FRAME_SIZE);
    this.allocator = new FrameAllocator((int) (bytes / FRAME_SIZE), CHUNK_FRAMES, cores);
  }

  /** Machine memory of {@code bytes} with one frame pool per host core (see the main constructor). */
  public static MachineMemory of(long bytes) {
    return new MachineMemory(bytes, CoreSet.ofHost());
  }

  /** The size in bytes. */
  public long bytes() {
    return bytes;
  }

  /** The frame allocator (for statistics and tests). */
  public FrameAllocator allocator() {
    return allocator;
  }

  /** The machine memory as one segment, indexed by machine offset. */
  MemorySegment segment() {
    return segment;
  }

  /**
   * Takes a zeroed frame for the calling physical CPU.
   *
   * @return the frame number, or -1 if machine memory is exhausted
   */
  public int allocateFrame() {
    return allocator.allocate();
  }

  /**
   * Zeroes a used frame and gives it back. The caller guarantees that nothing can still reach the
   * frame (for guest RAM: its P2M entry is gone and every hart's cached translation was shot down).
   *
   * @throws IllegalArgumentException if the frame is not in use (it is zeroed all the same)
   */
  public void freeFrame(int frame) {
    if (frame < 0 || frame >= allocator.frames()) {
      throw new IllegalArgumentException("no such frame: " + frame);
    }
    segment.asSlice(offsetOf(frame), FRAME_SIZE).fill((byte) 0);
    allocator.release(frame);
  }

  /** The machine offset of the first byte of {@code frame}. */
  public static long offsetOf(int frame) {
    return (long) frame << FRAME_SHIFT;
  }

  /** The frame that holds machine offset {@code offset}. */
  public static int frameOf(long offset) {
    return (int) (offset >> FRAME_SHIFT); // machine offsets are non-negative
  }

  /** Frees the host memory; nothing may use it afterwards. */
  @Override
  public void close(@GuardSatisfied MachineMemory this) {
    arena.close();
  }
}
