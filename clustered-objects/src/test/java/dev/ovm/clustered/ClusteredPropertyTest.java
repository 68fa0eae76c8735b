package dev.ovm.clustered;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Random sequences and interleavings of operations on a {@link ClusteredCounter} and a
 * {@link ClusteredObject} against a simple model: a map from slot to count, and the set of slots
 * that have been used.
 */
class ClusteredPropertyTest {
  /** Core indices the operations run on: outside (-1), and 0..5, beyond sets of 1..4 CPUs too. */
  private static final int MIN_CORE = -1;
  private static final int MAX_CORE = 5;

  private static final Map<Integer, ExecutorService> ON_CORE = new HashMap<>();

  /** One operation: add {@code delta} on core {@code core}, or just look up another core's rep. */
  record Op(boolean add, int core, long delta) {
    @Override
    public String toString() {
      return add ? "add(" + delta + ")@" + core : "repOf(" + core + ")";
    }
  }

  /** What the model expects, and what the objects under test are. */
  private static final class Subject {
    final CoreSet cores;
    final ClusteredCounter counter;
    final AtomicIntegerArray misses;
    final ClusteredObject<Integer> object;

    Subject(int size) {
      cores = CoreSet.of(size);
      counter = new ClusteredCounter(cores);
      misses = new AtomicIntegerArray(cores.slotCount());
      object = new ClusteredObject<>(cores, core -> {
        misses.incrementAndGet(cores.slotOf(core));
        return core;
      });
    }

    /** Runs {@code op} on the thread of its core. */
    void apply(Op op) {
      if (op.add()) {
        counter.add(op.delta());
        assertEquals(op.core() < 0 || op.core() >= cores.size() ? Cores.OUTSIDE : op.core(),
            object.rep());
      } else {
        object.repOf(op.core());
      }
    }
  }

  @BeforeAll
  static void startCores() {
    for (int core = MIN_CORE; core <= MAX_CORE; core++) {
      int index = core;
      ON_CORE.put(core, Executors.newSingleThreadExecutor(body -> index < 0
          ? new Thread(body, "outside")
          : new CoreThread(index, body, "property-core-" + index)));
    }
  }

  @AfterAll
  static void stopCores() {
    ON_CORE.values().forEach(ExecutorService::shutdownNow);
  }

  private static Gen<Op> ops() {
    return integers().between(0, 3).zip(integers().between(MIN_CORE, MAX_CORE),
        longs().between(-1_000_000, 1_000_000), (kind, core, delta) -> new Op(kind != 0, core, delta));
  }

  @Test
  void sequencesMatchTheModelAfterEveryStep() {
    qt().withExamples(150).forAll(integers().between(1, 4), lists().of(ops()).ofSizeBetween(0, 30))
        .checkAssert((size, ops) -> {
          Subject subject = new Subject(size);
          Map<Integer, Long> counts = new TreeMap<>();
          Map<Integer, Integer> created = new TreeMap<>(); // slot -> core told to the handler
          for (Op op : ops) {
            run(op.core(), () -> subject.apply(op));
            int slot = subject.cores.slotOf(op.core());
            created.put(slot, subject.cores.coreOfSlot(slot));
            if (op.add()) {
              counts.merge(op.core() < 0 ? Cores.OUTSIDE : op.core(), op.delta(), Long::sum);
            }
            assertMatches(subject, counts, created);
          }
        });
  }

  @Test
  void concurrentInterleavingsEndInTheModelState() {
    qt().withExamples(60).forAll(integers().between(1, 4), lists().of(ops()).ofSizeBetween(0, 200))
        .checkAssert((size, ops) -> {
          Subject subject = new Subject(size);
          Map<Integer, List<Op>> byCore = new TreeMap<>();
          Map<Integer, Long> counts = new TreeMap<>();
          Map<Integer, Integer> created = new TreeMap<>();
          for (Op op : ops) {
            byCore.computeIfAbsent(op.core(), core -> new ArrayList<>()).add(op);
            int slot = subject.cores.slotOf(op.core());
            created.put(slot, subject.cores.coreOfSlot(slot));
            if (op.add()) {
              counts.merge(op.core() < 0 ? Cores.OUTSIDE : op.core(), op.delta(), Long::sum);
            }
          }
          List<Future<?>> running = new ArrayList<>();
          byCore.forEach((core, list) ->
              running.add(ON_CORE.get(core).submit(() -> list.forEach(subject::apply))));
          for (Future<?> future : running) {
            try {
              future.get();
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          }
          assertMatches(subject, counts, created);
        });
  }

  private static void assertMatches(
      Subject subject, Map<Integer, Long> counts, Map<Integer, Integer> created) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(total, subject.counter.sum(), "sum");
    // one fixture thread per core index, so each in-set core's cell has its single owner; several
    // threads share the outside slot, whose adds are checked through the sum only
    for (int core = 0; core < subject.cores.size(); core++) {
      long expected = 0;
      for (Map.Entry<Integer, Long> entry : counts.entrySet()) {
        if (subject.cores.slotOf(entry.getKey()) == subject.cores.slotOf(core)) {
          expected += entry.getValue();
        }
      }
      assertEquals(expected, subject.counter.valueOf(core), "value of core " + core);
    }
    Map<Integer, Integer> visited = new TreeMap<>();
    subject.object.forEachRep((core, rep) -> {
      assertEquals(core, rep, "rep made for the core it is visited as");
      visited.put(subject.cores.slotOf(core), core);
    });
    assertEquals(created, visited, "forEachRep visits exactly the created reps");
    for (int slot = 0; slot < subject.cores.slotCount(); slot++) {
      assertEquals(created.containsKey(slot) ? 1 : 0, subject.misses.get(slot), "misses of " + slot);
    }
  }

  private static void run(int core, Runnable body) {
    try {
      ON_CORE.get(core).submit(body).get();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
