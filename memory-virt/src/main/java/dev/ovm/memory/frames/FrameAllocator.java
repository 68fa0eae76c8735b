package dev.ovm.memory.frames;

import dev.ovm.clustered.ClusteredObject;
import dev.ovm.clustered.CoreSet;
import dev.ovm.clustered.Cores;
import java.util.ArrayDeque;
import java.util.List;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The VMM-wide allocator of machine frames, as a clustered object (Tornado/K42; the per-CPU pools
 * of Bonwick's magazine allocator and Linux's per-CPU page lists play the same role): this class is
 * the root and owns every frame; each physical CPU has a representative ({@link FrameRep}),
 * created by the miss handler the first time that CPU allocates, whose free list is a set of
 * {@linkplain FrameChunk chunks} — runs of {@code chunkFrames} consecutive frames — each tracked by
 * the KeY-verified {@link FrameSet}. What is proved is what runs: every frame handed out or taken
 * back goes through {@link FrameSet#allocate()} or {@link FrameSet#release(int)}.
 *
 * <p>Contract: {@link #allocate} returns a frame that is not in use and marks it used, or -1 when
 * every frame is in use; no frame is handed out twice before it is released; {@link #release}
 * takes back a used frame and refuses (with {@link IllegalArgumentException}, changing nothing) a
 * frame that is not in use or out of range; {@link #usedFrames()} + {@link #freeFrames()} = {@link
 * #frames()} whenever no call runs concurrently. Thread-safe. This class does not touch frame
 * contents (the caller, {@code MachineMemory}, zeroes frames).
 *
 * <p>Paths: {@link #allocate(int)} takes a frame from the CPU's own rep under that rep's lock
 * only. When the rep's chunks are full it takes a wholly free chunk from the root (a batch refill
 * under the root's lock); when the root has none it takes single frames from other reps' chunks
 * (under each such rep's lock in turn, never two at once). {@link #release} returns a frame to the
 * rep that owns its chunk (its home), under that rep's lock; a chunk that becomes wholly free goes
 * back to the root (a batch return) unless it is that rep's last chunk.
 *
 * <p>Lock order: a rep's lock, then the root's lock ({@code lock}). A thread holds at most one
 * rep's lock; the root never calls into a rep while holding its lock. The clustered object's miss
 * lock is taken before either (only on a CPU's first use) and the miss handler takes neither.
 *
 * <p>Threads that are not physical CPUs (the main thread, loaders, the deterministic executor)
 * share the clustered object's outside rep; physical CPUs are found by their VMM-wide index
 * ({@link Cores#currentVmmIndex()}, DESIGN-NOTES 8), so one allocator serves every pool.
 */
public final class FrameAllocator {
  private final int frames;
  private final FrameChunk[] chunks;
  /** log2 of the frames per chunk: a frame's chunk is {@code frame >>> chunkShift}. */
  private final int chunkShift;
  private final ClusteredObject<FrameRep> reps;
  private final Object lock = new Object();

  /** The wholly free chunks the root owns. */
  private final @GuardedBy("lock") ArrayDeque<FrameChunk> freeChunks = new ArrayDeque<>();

  /**
   * Creates an allocator of {@code frames} frames, numbered {@code 0 .. frames-1}, all free and all
   * owned by the root.
   *
   * @param frames the number of frames, at least 1
   * @param chunkFrames frames per chunk (the refill and return batch), a power of two
   * @param cores the physical CPUs, by VMM-wide index, that get a rep of their own
   * @throws IllegalArgumentException if {@code frames} is below 1 or {@code chunkFrames} is not a
   *     power of two
   */
  public FrameAllocator(int frames, int chunkFrames, CoreSet cores) {
    if (frames < 1 || chunkFrames < 1 || Integer.bitCount(chunkFrames) != 1) {
      throw new IllegalArgumentException("an allocator needs frames and chunks of a power of two "
          + "frames: " + frames + "/" + chunkFrames);
    }
    this.frames = frames;
    this.chunkShift = Integer.numberOfTrailingZeros(chunkFrames);
    int count = (int) ((frames + (long) chunkFrames - 1) / chunkFrames);
    FrameChunk[] all = new FrameChunk[count];
    for (int i = 0; i < all.length; i++) {
      int first = i * chunkFrames;
      all[i] = new FrameChunk(first, Math.min(chunkFrames, frames - first));
    }
    this.chunks = all;
    synchronized (lock) {
      freeChunks.addAll(List.of(all));
    }
    this.reps = new ClusteredObject<FrameRep>(cores, FrameRep::new);
  }

  /**
   * Takes a free frame for the calling physical CPU (or the outside rep on another thread).
   *
   * @return a frame number that was free and is now used, or -1 if every frame is in use
   */
  public int allocate() {
    return allocate(Cores.currentVmmIndex());
  }

  /**
   * Takes a free frame for physical CPU {@code cpu}: from its rep, else a chunk from the root,
   * else a frame from another rep.
   *
   * @param cpu a VMM-wide physical CPU index; an index outside the core set (such as {@link
   *     Cores#OUTSIDE}) names the outside rep
   * @return a frame number that was free and is now used, or -1 if every frame is in use
   */
  public int allocate(int cpu) {
    FrameRep home = reps.repOf(cpu);
    int frame = home.allocate(this, true);
    if (frame >= 0) {
      return frame;
    }
    for (FrameRep other : reps.reps()) {
      if (other != home) {
        frame = other.allocate(this, false);
        if (frame >= 0) {
          return frame;
        }
      }
    }
    return -1;
  }

  /**
   * Gives back a used frame (to the rep whose chunk it belongs to).
   *
   * @param frame a frame number in use
   * @throws IllegalArgumentException if {@code frame} is out of range or not in use (nothing
   *     changes)
   */
  public void release(int frame) {
    if (frame < 0 || frame >= frames) {
      throw new IllegalArgumentException("no such frame: " + frame);
    }
    int index = frame >> chunkShift;
    if (index < 0 || index >= chunks.length) {
      throw new IllegalArgumentException("no such frame: " + frame); // never: frame < frames
    }
    FrameChunk chunk = chunks[index];
    FrameRep owner = chunk.owner;
    // a chunk with a used frame never changes owner, so a missing or changed owner means the frame
    // was free
    if (owner == null || !owner.release(this, chunk, frame)) {
      throw new IllegalArgumentException("frame not in use: " + frame);
    }
  }

  /** The number of frames, used or free. */
  public int frames() {
    return frames;
  }

  /** The frames in use (exact when no call runs concurrently). */
  public int usedFrames() {
    int used = 0;
    for (FrameRep rep : reps.reps()) {
      used += rep.usedFrames();
    }
    return used;
  }

  /** The free frames (exact when no call runs concurrently). */
  public int freeFrames() {
    return frames - usedFrames();
  }

  /** The frames in the root's wholly free chunks, not held by any rep. */
  public int rootFrames() {
    synchronized (lock) {
      int held = 0;
      for (FrameChunk chunk : freeChunks) {
        held += chunk.size();
      }
      return held;
    }
  }

  /** The number of reps created so far (physical CPUs that allocated, plus the outside rep). */
  public int repCount() {
    return reps.reps().size();
  }

  /**
   * Checks the bookkeeping against the verified free sets (tests and debugging): each rep's used
   * counts match its {@link FrameSet}s, the root's chunks are wholly free, and every chunk is held
   * by the root or by exactly one rep. Call it when no other call runs.
   *
   * @throws IllegalStateException if anything disagrees
   */
  public void checkConsistent() {
    int held = rootFrames();
    synchronized (lock) {
      for (FrameChunk chunk : freeChunks) {
        if (chunk.owner != null || chunk.frames.usedCount() != 0) {
          throw new IllegalStateException("root chunk at " + chunk.firstFrame + " is not free");
        }
      }
    }
    List<FrameRep> all = reps.reps();
    for (FrameRep rep : all) {
      rep.checkConsistent();
      held += rep.heldFrames();
    }
    if (held != frames) {
      throw new IllegalStateException(held + " frames accounted for, " + frames + " exist");
    }
  }

  /** Root side of a refill: hands {@code rep} a wholly free chunk (called under rep's lock). */
  @Nullable FrameChunk takeChunk(FrameRep rep) {
    synchronized (lock) {
      FrameChunk chunk = freeChunks.poll();
      if (chunk != null) {
        chunk.owner = rep;
      }
      return chunk;
    }
  }

  /** Root side of a batch return: takes back a wholly free chunk (called under its rep's lock). */
  void returnChunk(FrameChunk chunk) {
    synchronized (lock) {
      chunk.owner = null;
      freeChunks.add(chunk);
    }
  }
}
