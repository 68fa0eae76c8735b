package dev.ovm.memory.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.ovm.clustered.CoreSet;
import dev.ovm.clustered.Cores;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The clustered frame allocator against a model: a set of handed-out frames. */
class FrameAllocatorTest {

  /**
   * Random programs of allocations (on random CPUs, including the outside rep) and releases: no
   * frame is handed out twice, the counts match the model, every release is accepted, and the
   * bookkeeping always agrees with the verified free sets.
   */
  @Test
  void noFrameIsHandedOutTwiceAndTheCountsStayConsistent() {
    qt().withExamples(300)
        .forAll(
            integers().between(1, 40),
            integers().between(0, 3),
            lists().of(integers().between(-1, 300)).ofSizeBetween(0, 200))
        .checkAssert((frames, chunkShift, program) -> {
          FrameAllocator allocator = new FrameAllocator(frames, 1 << chunkShift, CoreSet.of(3));
          List<Integer> held = new ArrayList<>();
          Set<Integer> heldSet = new HashSet<>();
          for (int step : program) {
            if (step % 2 == 0 || held.isEmpty()) {
              int cpu = step < 0 ? Cores.OUTSIDE : step % 4; // 3 is outside the core set too
              int frame = allocator.allocate(cpu);
              if (heldSet.size() == frames) {
                assertEquals(-1, frame, "allocated beyond the last frame");
              } else {
                assertTrue(frame >= 0 && frame < frames, "frame " + frame);
                assertTrue(heldSet.add(frame), "frame " + frame + " handed out twice");
                held.add(frame);
              }
            } else {
              int frame = held.remove(Math.floorMod(step, held.size()));
              heldSet.remove(frame);
              allocator.release(frame);
            }
            assertEquals(heldSet.size(), allocator.usedFrames());
            assertEquals(frames - heldSet.size(), allocator.freeFrames());
            allocator.checkConsistent();
          }
          for (int frame : held) {
            allocator.release(frame);
          }
          assertEquals(0, allocator.usedFrames());
          allocator.checkConsistent();
        });
  }

  @Test
  void chunksArePowersOfTwo() {
    assertThrows(IllegalArgumentException.class, () -> new FrameAllocator(8, 3, CoreSet.of(1)));
    assertThrows(IllegalArgumentException.class, () -> new FrameAllocator(0, 4, CoreSet.of(1)));
  }

  @Test
  void releasingAFrameThatIsNotInUseIsRefused() {
    FrameAllocator allocator = new FrameAllocator(8, 4, CoreSet.of(2));
    int frame = allocator.allocate(0);
    assertThrows(IllegalArgumentException.class, () -> allocator.release(-1));
    assertThrows(IllegalArgumentException.class, () -> allocator.release(8));
    assertThrows(IllegalArgumentException.class, () -> allocator.release(7)); // never handed out
    allocator.release(frame);
    assertThrows(IllegalArgumentException.class, () -> allocator.release(frame));
    assertEquals(0, allocator.usedFrames());
    allocator.checkConsistent();
  }

  @Test
  void eachCpuRefillsFromTheRootAChunkAtATime() {
    FrameAllocator allocator = new FrameAllocator(12, 4, CoreSet.of(2));
    assertEquals(12, allocator.rootFrames());
    int a = allocator.allocate(0);
    int b = allocator.allocate(1);
    assertEquals(4, allocator.rootFrames(), "each CPU took one chunk of 4");
    assertTrue(a / 4 != b / 4, "the two CPUs allocate from different chunks");
    assertEquals(2, allocator.repCount());
    for (int i = 0; i < 3; i++) {
      assertEquals(a / 4, allocator.allocate(0) / 4, "a CPU stays in its chunk while it has room");
    }
    int refill = allocator.allocate(0);
    assertEquals(0, allocator.rootFrames(), "a full chunk makes the CPU take the next one");
    allocator.release(refill);
    assertEquals(4, allocator.rootFrames(), "a wholly free chunk goes back unless it is the last");
    allocator.checkConsistent();
  }

  @Test
  void aCpuTakesFramesFromAnotherWhenTheRootIsEmpty() {
    FrameAllocator allocator = new FrameAllocator(4, 2, CoreSet.of(2));
    int a = allocator.allocate(0);
    int b1 = allocator.allocate(1);
    int b2 = allocator.allocate(1);
    assertEquals(0, allocator.rootFrames());
    int a2 = allocator.allocate(0);
    assertEquals(-1, allocator.allocate(0), "every frame is in use");
    allocator.release(b1);
    assertEquals(b1, allocator.allocate(0), "CPU 0 takes the frame CPU 1 freed");
    allocator.release(b1); // it goes home to CPU 1's chunk
    allocator.release(a);
    allocator.release(a2);
    allocator.release(b2);
    assertEquals(0, allocator.usedFrames());
    allocator.checkConsistent();
  }
}
