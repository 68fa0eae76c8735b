package dev.ovm.clustered.bench;

import dev.ovm.clustered.ClusteredCounter;
import dev.ovm.clustered.CoreSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Statistics counters under contention: the clustered counter (one padded cell per physical CPU)
 * against one lock-protected counter and, for reference, one {@link AtomicLong}. Every benchmark
 * thread is a physical CPU ({@link CoreThreadExecutor}); run with {@code -t 1}, {@code -t 2} and
 * {@code -t 4}. The frame allocator's clustered-vs-locked pair is in memory-virt's {@code src/jmh}
 * ({@code FrameAllocatorBenchmark}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {CoreBenchmarks.EXECUTOR, CoreBenchmarks.EXECUTOR_CLASS})
public class CounterBenchmark {
  private ClusteredCounter clustered = new ClusteredCounter(CoreSet.of(1));
  private final LockedCounter locked = new LockedCounter();
  private final AtomicLong atomic = new AtomicLong();

  /**
   * Builds the clustered counter over the run's physical CPUs.
   *
   * @param cpus the run's core set
   */
  @Setup(Level.Trial)
  public void setUp(CoreBenchmarks.Cpus cpus) {
    clustered = new ClusteredCounter(cpus.cores);
  }

  /**
   * One increment of the calling physical CPU's cell.
   *
   * @param cpu checks that the thread is a physical CPU
   */
  @Benchmark
  public void clustered(CoreBenchmarks.ThisCpu cpu) {
    clustered.increment();
  }

  /**
   * One increment under the shared lock.
   *
   * @param cpu checks that the thread is a physical CPU
   */
  @Benchmark
  public void locked(CoreBenchmarks.ThisCpu cpu) {
    locked.increment();
  }

  /**
   * One atomic increment of the shared cell.
   *
   * @param cpu checks that the thread is a physical CPU
   */
  @Benchmark
  public void atomic(CoreBenchmarks.ThisCpu cpu) {
    atomic.incrementAndGet();
  }
}
