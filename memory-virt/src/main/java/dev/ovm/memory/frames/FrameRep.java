package dev.ovm.memory.frames;

import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

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
  private final FrameAllocator root;
  private final int cpu;
  @GuardedBy("this")
  private final List<FrameChunk> chunks = new ArrayList<>();
  /** Index into {@link #chunks} of the chunk tried first (the last one that had a free frame). */
  @GuardedBy("this")
  private int current;

  FrameRep(FrameAllocator root, int cpu) {
    this.root = root;
    this.cpu = cpu;
  }

  /** The VMM index of the physical CPU this rep belongs to ({@code Cores.OUTSIDE} for the outside rep). */
  int cpu() {
    return cpu;
  }

  /**
   * Takes a free frame from this rep's chunks; if they are all full and {@code refill} is set, first
   * takes a chunk from the root.
   *
   * @return a machine frame number, or -1 if none was free here (and, with refill, at the root)
   */
  synchronized int allocate(boolean refill) {
    int count = chunks.size();
    if (current < count && chunks.get(current).hasFree()) {
      return take(chunks.get(current)); // the common case: the chunk that had room last time
    }
    for (int index = 0; index < count; index++) {
      FrameChunk chunk = chunks.get(index);
      if (chunk.hasFree()) {
        current = index;
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
    current = chunks.size() - 1;
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
  synchronized boolean release(FrameChunk chunk, int frame) {
    if (chunk.owner != this) {
      return false;
    }
    chunk.frames.release(frame - chunk.firstFrame);
    chunk.used--;
    if (chunk.used == 0 && chunks.size() > 1) {
      chunks.remove(chunk);
      current = 0;
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
