package dev.ovm.verification.negative;

/**
 * A copy of dev.ovm.memory.frames.FrameSet with two deliberate faults. KeyProverNegativeTest asserts
 * that KeY leaves both contracts OPEN: if the prover ever "proves" one, the check is broken.
 */
public final class BrokenFrameSet {
    private final /*@ spec_public @*/ boolean[] used;
    private /*@ spec_public @*/ int hint;

    /*@ public invariant used.length > 0;
      @ public invariant 0 <= hint && hint < used.length;
      @*/

    /*@ public normal_behavior
      @ requires frames > 0;
      @ ensures used.length == frames;
      @ ensures (\forall int i; 0 <= i && i < frames; !used[i]);
      @ ensures \fresh(used);
      @*/
    public BrokenFrameSet(int frames) {
        used = new boolean[frames];
    }

    /* WRONG CONTRACT: claims that allocation always succeeds; it returns -1 when the set is full. */
    /*@ public normal_behavior
      @ ensures 0 <= \result && \result < used.length && used[\result];
      @ assignable used[*], hint;
      @*/
    public int allocate() {
        int frame = findFree();
        if (frame < 0) {
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

    /* BUG: off by one, the first loop reads used[used.length] when every frame from hint on is used. */
    /*@ private normal_behavior
      @ ensures \result == -1 ==> (\forall int i; 0 <= i && i < used.length; used[i]);
      @ ensures \result != -1 ==> 0 <= \result && \result < used.length && !used[\result];
      @ assignable \strictly_nothing;
      @*/
    private int findFree() {
        int frames = used.length;
        int start = hint;
        /*@ loop_invariant start <= upper && upper <= frames + 1;
          @ loop_invariant (\forall int j; start <= j && j < upper; used[j]);
          @ decreases frames + 1 - upper;
          @ assignable \strictly_nothing;
          @*/
        for (int upper = start; upper <= frames; upper++) {
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
        for (int lower = 0; lower < start; lower++) {
            if (!used[lower]) {
                return lower;
            }
        }
        return -1;
    }
}
