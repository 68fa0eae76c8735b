package dev.ovm.memory.frames;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A run of consecutive machine frames, the unit in which the {@link FrameAllocator}'s root hands
 * frames to a per-CPU {@link FrameRep} and takes them back: the batch of the clustered allocator.
 * Its free set is the verified {@link FrameSet}, indexed from {@link #firstFrame}.
 *
 * <p>Ownership: a chunk is owned either by the root (then every frame in it is free) or by exactly
 * one rep. Everything mutable in it ({@link #frames}, {@link #used}) is guarded by the owning rep's
 * lock; the root touches a chunk only while it owns it, under its own lock, and only a wholly free
 * chunk changes owner. {@link #owner} is volatile so that {@link FrameAllocator#release} finds the
 * rep to lock without a lock; it changes only while the chunk is wholly free, so it is stable for
 * as long as any frame of the chunk is in use.
 */
final class FrameChunk {
  /** The machine frame number of the chunk's first frame. */
  final int firstFrame;
  /** Which of the chunk's frames are used: the proved kernel. Guarded by the owner's lock. */
  final FrameSet frames;
  /** The number of used frames (what {@code frames.usedCount()} would count). Owner's lock. */
  int used;
  /** The rep that owns the chunk, or null while the root owns it. */
  volatile @Nullable FrameRep owner;

  FrameChunk(int firstFrame, int size) {
    this.firstFrame = firstFrame;
    this.frames = new FrameSet(size);
  }

  /** The number of frames in the chunk. */
  int size() {
    return frames.size();
  }

  /** True if at least one frame is free (owner's lock). */
  boolean hasFree() {
    return used < frames.size();
  }
}
