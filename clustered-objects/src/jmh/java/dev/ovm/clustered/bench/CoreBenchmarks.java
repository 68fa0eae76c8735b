package dev.ovm.clustered.bench;

import dev.ovm.clustered.CoreSet;
import dev.ovm.clustered.Cores;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What every clustered-vs-locked benchmark shares: the JVM options that make JMH's workers
 * physical CPUs, and the core set sized to the run's thread count (one physical CPU per benchmark
 * thread, so 4 threads on the 2-core build machine are 4 physical CPUs sharing 2 host cores, as in
 * a VMM configured with more physical CPUs than host cores).
 */
public final class CoreBenchmarks {
  /** First JVM argument for {@code @Fork(jvmArgsAppend = ...)}: a custom JMH worker pool. */
  public static final String EXECUTOR = "-Djmh.executor=CUSTOM";

  /** Second JVM argument for {@code @Fork(jvmArgsAppend = ...)}: the pool of CoreThreads. */
  public static final String EXECUTOR_CLASS =
      "-Djmh.executor.class=dev.ovm.clustered.bench.CoreThreadExecutor";

  private CoreBenchmarks() {}

  /** The physical CPUs of one run: as many as benchmark threads. */
  @State(Scope.Benchmark)
  public static class Cpus {
    /** The core set of the run, valid after setup. */
    public CoreSet cores = CoreSet.of(1);

    /**
     * Sizes the core set to the run's thread count.
     *
     * @param params JMH's parameters of the run
     */
    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      cores = CoreSet.of(params.getThreads());
    }
  }

  /** Per-thread check that the worker really is a physical CPU of the run's core set. */
  @State(Scope.Thread)
  public static class ThisCpu {
    /**
     * Fails the run if JMH did not use {@link CoreThreadExecutor}.
     *
     * @param cpus the run's core set
     */
    @Setup(Level.Trial)
    public void check(Cpus cpus) {
      if (!cpus.cores.contains(Cores.currentIndex())) {
        throw new IllegalStateException(
            "benchmark thread " + Thread.currentThread().getName() + " is not a physical CPU of "
                + cpus.cores + "; fork with " + EXECUTOR + " " + EXECUTOR_CLASS);
      }
    }
  }
}
