package dev.ovm.memory.frames;

/**
 * The free set of a pool of machine frames, numbered {@code 0 .. size()-1}: which frames are in use and
 * which are free. One per-core free list of the clustered frame allocator owns one; the owner provides
 * the locking (this class is not thread-safe).
 *
 * <p>Contract (proved by KeY with overflow-checked arithmetic, see verification/README.md):
 * <ul>
 *   <li>{@link #allocate()} returns a frame that was free and marks it used, and changes the state of no
 *       other frame; it returns {@code -1}, changing nothing, exactly when no frame was free;</li>
 *   <li>{@link #release(int)} of a used frame marks it free and changes no other frame; releasing a frame
 *       out of range or already free throws {@link IllegalArgumentException} and changes nothing;</li>
 *   <li>{@link #usedCount()} and {@link #freeCount()} are the numbers of used and free frames
 *       ({@code \num_of} over the set, so they always add up to {@link #size()}); every array access
 *       is in bounds and no int arithmetic overflows.</li>
 * </ul>
 *
 * <p>This file is written in the Java subset KeY 2.12.3 accepts (no generics, lambdas, records,
 * annotations): the JML in its comments is the specification the build proves.
 */
public final class FrameSet {
    /*
     * Implementation notes. used[f] is the whole abstract state. allocate is next-fit: the search
     * starts at hint (one past the last frame handed out, wrapping), so a pool that fills up in order
     * does not rescan its used prefix on every call. The hint is hidden state: any value in range is
     * correct (the invariant keeps it in range), it only makes the search shorter.
     *
     * The counts are scans, not a maintained counter: a counter with the invariant
     * usedCount == (\num_of ...) needs the lemma "changing one element changes the count by one",
     * which KeY 2.12.3 has only as an interactive rule (bsum_equal_except_one_index), so the
     * automatic proof of allocate and release stayed open. The allocator's hot path (allocate,
     * release) does not count.
     */

    private final /*@ spec_public @*/ boolean[] used;
    private /*@ spec_public @*/ int hint;

    /*@ public invariant used.length > 0;
      @ public invariant 0 <= hint && hint < used.length;
      @*/

    /**
     * Creates a set of {@code frames} frames, all free.
     *
     * @param frames the number of frames, at least 1
     * @throws IllegalArgumentException if {@code frames < 1} (checked, but outside the proved contract:
     *     KeY would demand the class invariant of the object a throwing constructor abandons)
     */
    /*@ public normal_behavior
      @ requires frames > 0;
      @ ensures used.length == frames;
      @ ensures (\forall int i; 0 <= i && i < frames; !used[i]);
      @ ensures \fresh(used);
      @*/
    public FrameSet(int frames) {
        if (frames <= 0) {
            throw new IllegalArgumentException("a frame set needs at least one frame");
        }
        used = new boolean[frames];
    }

    /**
     * Takes a free frame.
     *
     * @return the index of a frame that was free and is now used, or {@code -1} if every frame is in use
     *     (then nothing changed)
     */
    /*@ public normal_behavior
      @ ensures \result == -1 ==> (\forall int i; 0 <= i && i < used.length; used[i]);
      @ ensures \result != -1 ==> 0 <= \result && \result < used.length
      @                           && !\old(used[\result]) && used[\result];
      @ ensures (\forall int i; 0 <= i && i < used.length && i != \result; used[i] == \old(used[i]));
      @ assignable used[*], hint;
      @*/
    public int allocate() {
        int frame = findFree();
        // frame >= used.length never happens (findFree's proved contract); the test states the bound
        // to the Index checker, which cannot read JML.
        if (frame < 0 || frame >= used.length) {
            return -1;
        }
        used[frame] = true;
        int next = frame + 1;
        if (next == used.length) {
            next = 0;
        }
        hint = next;
        return frame;
    }

    /*@ private normal_behavior
      @ ensures \result == -1 ==> (\forall int i; 0 <= i && i < used.length; used[i]);
      @ ensures \result != -1 ==> 0 <= \result && \result < used.length && !used[\result];
      @ assignable \strictly_nothing;
      @*/
    private int findFree() {
        int frames = used.length;
        int start = hint;
        // Never taken (the class invariant keeps hint in range); states the bound to the Index checker.
        if (start < 0 || start >= used.length) {
            start = 0;
        }
        /*@ loop_invariant start <= upper && upper <= frames;
          @ loop_invariant (\forall int j; start <= j && j < upper; used[j]);
          @ decreases frames - upper;
          @ assignable \strictly_nothing;
          @*/
        for (int upper = start; upper < used.length; upper++) {
            if (!used[upper]) {
                return upper;
            }
        }
        /*@ loop_invariant 0 <= lower && lower <= start;
          @ loop_invariant (\forall int j; 0 <= j && j < lower; used[j]);
          @ loop_invariant (\forall int j; start <= j && j < frames; used[j]);
          @ decreases start - lower;
          @ assignable \strictly_nothing;
          @*/
        // lower < used.length follows from lower < start (KeY proves it); spelled out for the Index checker.
        for (int lower = 0; lower < start && lower < used.length; lower++) {
            if (!used[lower]) {
                return lower;
            }
        }
        return -1;
    }

    /**
     * Gives a used frame back.
     *
     * @param frame a frame in {@code [0, size())} that is in use
     * @throws IllegalArgumentException if {@code frame} is out of range or already free (nothing changes)
     */
    /*@ public normal_behavior
      @ requires 0 <= frame && frame < used.length && used[frame];
      @ ensures !used[frame];
      @ ensures (\forall int i; 0 <= i && i < used.length && i != frame; used[i] == \old(used[i]));
      @ assignable used[frame];
      @ also public exceptional_behavior
      @ requires frame < 0 || frame >= used.length || !used[frame];
      @ signals_only IllegalArgumentException;
      @ assignable \nothing;
      @*/
    public void release(int frame) {
        if (frame < 0 || frame >= used.length || !used[frame]) {
            throw new IllegalArgumentException("frame not in use: " + frame);
        }
        used[frame] = false;
    }

    /**
     * Tells whether a frame is in use.
     *
     * @param frame a frame in {@code [0, size())}
     * @return true if the frame is used, false if it is free
     * @throws IllegalArgumentException if {@code frame} is out of range
     */
    /*@ public normal_behavior
      @ requires 0 <= frame && frame < used.length;
      @ ensures \result == used[frame];
      @ assignable \strictly_nothing;
      @ also public exceptional_behavior
      @ requires frame < 0 || frame >= used.length;
      @ signals_only IllegalArgumentException;
      @ assignable \nothing;
      @*/
    public boolean isUsed(int frame) {
        if (frame < 0 || frame >= used.length) {
            throw new IllegalArgumentException("no such frame: " + frame);
        }
        return used[frame];
    }

    /** Returns the number of frames in the set, free or used (constant, at least 1). */
    /*@ public normal_behavior
      @ ensures \result == used.length;
      @ assignable \strictly_nothing;
      @*/
    public int size() {
        return used.length;
    }

    /** Returns the number of used frames (a scan of the set: O(size)). */
    /*@ public normal_behavior
      @ ensures \result == (\num_of int i; 0 <= i && i < used.length; used[i]);
      @ assignable \strictly_nothing;
      @*/
    public int usedCount() {
        int count = 0;
        /*@ loop_invariant 0 <= frame && frame <= used.length;
          @ loop_invariant 0 <= count && count <= frame;
          @ loop_invariant count == (\num_of int j; 0 <= j && j < frame; used[j]);
          @ decreases used.length - frame;
          @ assignable \strictly_nothing;
          @*/
        for (int frame = 0; frame < used.length; frame++) {
            if (used[frame]) {
                count++;
            }
        }
        return count;
    }

    /** Returns the number of free frames (a scan of the set: O(size)). */
    /*@ public normal_behavior
      @ ensures \result == (\num_of int i; 0 <= i && i < used.length; !used[i]);
      @ assignable \strictly_nothing;
      @*/
    public int freeCount() {
        int count = 0;
        /*@ loop_invariant 0 <= frame && frame <= used.length;
          @ loop_invariant 0 <= count && count <= frame;
          @ loop_invariant count == (\num_of int j; 0 <= j && j < frame; !used[j]);
          @ decreases used.length - frame;
          @ assignable \strictly_nothing;
          @*/
        for (int frame = 0; frame < used.length; frame++) {
            if (!used[frame]) {
                count++;
            }
        }
        return count;
    }
}
