package dev.ovm.memory.bench;

import dev.ovm.memory.frames.FrameSet;

/**
 * The baseline for {@link FrameAllocatorBenchmark}: every frame in one verified {@link FrameSet}
 * behind one lock, as a frame allocator without per-CPU pools would be.
 */
final class LockedFrameAllocator {
  private final FrameSet frames;

  LockedFrameAllocator(int frames) {
    this.frames = new FrameSet(frames);
  }

  synchronized int allocate() {
    return frames.allocate();
  }

  synchronized void release(int frame) {
    frames.release(frame);
  }
}
