package dev.ovm.memory.frames;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One physical CPU's representative of the {@link FrameAllocator}: the chunks of machine frames
 * this CPU allocates from (its per-core free list, whose free-set operations are the verified
 * {@link FrameSet}), refilled from the root a chunk at a time and handing wholly free chunks back.
 *
 * <p>Locking: every method is synchronized on the rep; the rep's lock guards its chunk list and
 * the contents of every chunk it owns. While holding it the rep may take the root's lock (to
 * refill or return a chunk), never another rep's lock. See the lock order in {@link FrameAllocator}.
 */
final class FrameRep {
  private final int cpu;
  private final @GuardedBy("this") List<FrameChunk> chunks = new ArrayList<>();
  /**
   * The chunk tried first: the last one that had a free frame (one of {@link #chunks}, or null).
   * Guarded by this rep's lock like {@link #chunks}; not annotated, because the Lock Checker's
   * {@code @GuardedBy} on a reference would guard the chunk object itself (whose contents the owner's
   * lock guards, see {@link FrameChunk}).
   */
  private @Nullable FrameChunk current;

  FrameRep(int cpu) {
    this.cpu = cpu;
  }

  /** The VMM index of the physical CPU this rep belongs to ({@code Cores.OUTSIDE} for the outside rep). */
  int cpu() {
    return cpu;
  }

  /**
   * Takes a free frame from this rep's chunks; if they are all full and {@code refill} is set, first
   * takes a chunk from {@code root} (the allocator this rep belongs to).
   *
   * @return a machine frame number, or -1 if none was free here (and, with refill, at the root)
   */
  synchronized int allocate(FrameAllocator root, boolean refill) {
    FrameChunk last = current;
    if (last != null && last.hasFree()) {
      return take(last); // the common case: the chunk that had room last time
    }
    for (FrameChunk chunk : chunks) {
      if (chunk.hasFree()) {
        current = chunk;
        return take(chunk);
      }
    }
    if (!refill) {
      return -1;
    }
    FrameChunk fresh = root.takeChunk(this);
    if (fresh == null) {
      return -1;
    }
    chunks.add(fresh);
    current = fresh;
    return take(fresh);
  }

  @Holding("this")
  private int take(FrameChunk chunk) {
    int local = chunk.frames.allocate();
    if (local < 0) {
      // hasFree() said otherwise: the used count and the FrameSet disagree
      throw new IllegalStateException("frame chunk at " + chunk.firstFrame + " miscounted");
    }
    chunk.used++;
    return chunk.firstFrame + local;
  }

  /**
   * Gives back a used frame of a chunk this rep owns; a chunk that becomes wholly free goes back to
   * the root unless it is the rep's last one (which it keeps, so that allocate-release pairs stay
   * local).
   *
   * @return false if this rep does not own the chunk (nothing changed)
   * @throws IllegalArgumentException if the frame is not in use (nothing changed)
   */
  synchronized boolean release(FrameAllocator root, FrameChunk chunk, int frame) {
    if (chunk.owner != this) {
      return false;
    }
    chunk.frames.release(frame - chunk.firstFrame);
    chunk.used--;
    if (chunk.used == 0 && chunks.size() > 1) {
      chunks.remove(chunk);
      if (current == chunk) {
        current = null;
      }
      root.returnChunk(chunk);
    }
    return true;
  }

  /** The number of frames this rep's chunks hold in use. */
  synchronized int usedFrames() {
    int used = 0;
    for (FrameChunk chunk : chunks) {
      used += chunk.used;
    }
    return used;
  }

  /** The number of frames this rep holds (used or free). */
  synchronized int heldFrames() {
    int held = 0;
    for (FrameChunk chunk : chunks) {
      held += chunk.size();
    }
    return held;
  }

  /**
   * Checks this rep's bookkeeping against the verified free sets: each chunk's used count equals
   * its {@link FrameSet#usedCount()} and it is owned by this rep.
   *
   * @throws IllegalStateException if they disagree
   */
  synchronized void checkConsistent() {
    for (FrameChunk chunk : chunks) {
      if (chunk.owner != this || chunk.used != chunk.frames.usedCount()) {
        throw new IllegalStateException("frame chunk at " + chunk.firstFrame + " is inconsistent");
      }
    }
  }
}
