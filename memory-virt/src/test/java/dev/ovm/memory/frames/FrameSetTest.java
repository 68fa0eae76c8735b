package dev.ovm.memory.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runtime checks of FrameSet beside its KeY proof (verification module): the proof covers the JML
 * contracts; these tests check the compiled class against a BitSet model, including the parts outside
 * the contracts (constructor argument check, next-fit order).
 */
class FrameSetTest {

    @Test
    void allocatesEveryFrameOnceThenReportsFull() {
        FrameSet frames = new FrameSet(3);
        assertEquals(0, frames.allocate());
        assertEquals(1, frames.allocate());
        assertEquals(2, frames.allocate());
        assertEquals(-1, frames.allocate());
        assertEquals(3, frames.usedCount());
        assertEquals(0, frames.freeCount());
    }

    @Test
    void nextFitResumesAfterTheLastFrameAndWraps() {
        FrameSet frames = new FrameSet(4);
        frames.allocate();
        frames.allocate();
        frames.release(0);
        assertEquals(2, frames.allocate()); // after frame 1, not the lower free frame 0
        assertEquals(3, frames.allocate());
        assertEquals(0, frames.allocate()); // wrapped
    }

    @Test
    void releasingAFreeOrOutOfRangeFrameThrowsAndChangesNothing() {
        FrameSet frames = new FrameSet(2);
        int taken = frames.allocate();
        assertThrows(IllegalArgumentException.class, () -> frames.release(1 - taken));
        assertThrows(IllegalArgumentException.class, () -> frames.release(2));
        assertThrows(IllegalArgumentException.class, () -> frames.release(-1));
        assertThrows(IllegalArgumentException.class, () -> frames.isUsed(2));
        assertTrue(frames.isUsed(taken));
        assertFalse(frames.isUsed(1 - taken));
        assertEquals(1, frames.usedCount());
    }

    @Test
    void rejectsAnEmptySet() {
        assertThrows(IllegalArgumentException.class, () -> new FrameSet(0));
    }

    /** Random allocate/release sequences (negative op = allocate, else release op % size) vs a BitSet. */
    @Test
    void agreesWithABitSetModel() {
        qt().forAll(integers().between(1, 40), lists().of(integers().between(-50, 50)).ofSizeBetween(0, 200))
                .checkAssert((size, ops) -> replay(size, ops));
    }

    private static void replay(int size, List<Integer> ops) {
        FrameSet frames = new FrameSet(size);
        BitSet model = new BitSet(size);
        for (int op : ops) {
            if (op < 0) {
                int frame = frames.allocate();
                if (model.cardinality() == size) {
                    assertEquals(-1, frame);
                } else {
                    assertTrue(frame >= 0 && frame < size && !model.get(frame));
                    model.set(frame);
                }
            } else {
                int frame = op % size;
                if (model.get(frame)) {
                    frames.release(frame);
                    model.clear(frame);
                } else {
                    assertThrows(IllegalArgumentException.class, () -> frames.release(frame));
                }
            }
            assertEquals(model.cardinality(), frames.usedCount());
            assertEquals(size - model.cardinality(), frames.freeCount());
        }
        for (int frame = 0; frame < size; frame++) {
            assertEquals(model.get(frame), frames.isUsed(frame));
        }
    }
}
