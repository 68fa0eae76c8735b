package dev.ovm.memory.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.clustered.CoreSet;
import dev.ovm.clustered.CoreThread;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * Several physical CPUs and an outside thread allocate and release frames at once, with too few
 * frames for all of them (so chunks move between reps and the root, and CPUs take frames from each
 * other); a shared mark per frame catches a frame handed to two threads at once.
 */
class FrameAllocatorStressTest {
  private static final int FRAMES = 96;
  private static final int ROUNDS = 40_000;

  @Test
  void concurrentAllocationsNeverShareAFrame() throws Exception {
    FrameAllocator allocator = new FrameAllocator(FRAMES, 8, CoreSet.of(3));
    AtomicIntegerArray holders = new AtomicIntegerArray(FRAMES);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    int threads = 5; // CPUs 0..2, one CoreThread whose index lies outside the set, one plain thread
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Runnable body = () -> {
        try {
          start.await();
          churn(allocator, holders, new SplittableRandom(seed));
        } catch (Throwable e) {
          failures.add(e);
        }
      };
      all.add(t < 4 ? new CoreThread(t, body, "alloc-" + t) : new Thread(body, "alloc-outside"));
    }
    all.forEach(Thread::start);
    for (Thread thread : all) {
      thread.join();
    }
    assertTrue(failures.isEmpty(), () -> "failures: " + failures);
    assertEquals(0, allocator.usedFrames());
    allocator.checkConsistent();
  }

  private static void churn(FrameAllocator allocator, AtomicIntegerArray holders, SplittableRandom random) {
    List<Integer> held = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      if (held.size() < 40 && (held.isEmpty() || random.nextInt(3) != 0)) {
        int frame = allocator.allocate();
        if (frame >= 0) {
          if (holders.getAndIncrement(frame) != 0) {
            throw new AssertionError("frame " + frame + " handed out twice");
          }
          held.add(frame);
        }
      } else {
        int frame = held.remove(random.nextInt(held.size()));
        holders.decrementAndGet(frame);
        allocator.release(frame);
      }
    }
    for (int frame : held) {
      holders.decrementAndGet(frame);
      allocator.release(frame);
    }
  }
}
