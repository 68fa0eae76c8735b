package dev.ovm.clustered.bench;

import dev.ovm.clustered.Quiescence;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of the quiescence barrier: {@code pointOnly} is a physical CPU's scheduling-point call
 * when no request is pending (the common case); group {@code barrier} pairs one CPU that requests a
 * generation and waits for it with one that keeps passing points, so {@code barrier:request} is the
 * round trip a hot swap or shootdown pays when the other CPUs are busy.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {CoreBenchmarks.EXECUTOR, CoreBenchmarks.EXECUTOR_CLASS})
public class QuiescenceBenchmark {
  private static final Duration TIMEOUT = Duration.ofMillis(100);

  /** The barrier over the run's physical CPUs, shared by the run's threads. */
  @State(Scope.Benchmark)
  public static class Barrier {
    /** Valid after setup. */
    public Quiescence quiescence = new Quiescence(dev.ovm.clustered.CoreSet.of(1));

    /**
     * Creates the barrier.
     *
     * @param cpus the run's core set
     */
    @Setup(Level.Trial)
    public void setUp(CoreBenchmarks.Cpus cpus) {
      quiescence = new Quiescence(cpus.cores);
    }
  }

  /** Each thread is an active CPU during an iteration and idle between iterations. */
  @State(Scope.Thread)
  public static class Participant {
    /**
     * Joins the barrier.
     *
     * @param barrier the group's barrier
     * @param cpu checks that the thread is a physical CPU
     */
    @Setup(Level.Iteration)
    public void wake(Barrier barrier, CoreBenchmarks.ThisCpu cpu) {
      barrier.quiescence.wakeUp();
    }

    /**
     * Leaves it, so that a waiter never waits for a thread JMH has stopped.
     *
     * @param barrier the group's barrier
     */
    @TearDown(Level.Iteration)
    public void idle(Barrier barrier) {
      barrier.quiescence.goIdle();
    }
  }

  /**
   * A scheduling point with no request pending.
   *
   * @param barrier the barrier
   * @param participant makes the thread an active CPU
   */
  @Benchmark
  public void pointOnly(Barrier barrier, Participant participant) {
    barrier.quiescence.quiescentPoint();
  }

  /**
   * Requests a generation and waits until the other CPU has passed a point.
   *
   * @param barrier the barrier
   * @param participant makes the thread an active CPU
   * @return whether quiescence was reached within the timeout (false only at iteration ends)
   * @throws InterruptedException never in a benchmark run
   */
  @Benchmark
  @Group("barrier")
  @GroupThreads(1)
  public boolean request(Barrier barrier, Participant participant) throws InterruptedException {
    return barrier.quiescence.awaitQuiescent(barrier.quiescence.requestGeneration(), TIMEOUT);
  }

  /**
   * The busy CPU's scheduling points while the other requests.
   *
   * @param barrier the barrier
   * @param participant makes the thread an active CPU
   */
  @Benchmark
  @Group("barrier")
  @GroupThreads(1)
  public void point(Barrier barrier, Participant participant) {
    barrier.quiescence.quiescentPoint();
  }
}
