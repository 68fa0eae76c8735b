package dev.ovm.clustered.bench;

import dev.ovm.clustered.CoreThread;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JMH worker pool whose threads are physical CPUs: worker {@code i} is a {@link CoreThread} with
 * core index {@code i}, so clustered objects find a per-core representative for each benchmark
 * thread exactly as they do for the VMM's physical CPUs. Selected with the JMH system properties
 * {@code -Djmh.executor=CUSTOM -Djmh.executor.class=dev.ovm.clustered.bench.CoreThreadExecutor}
 * (see {@link CoreBenchmarks#EXECUTOR} and {@link CoreBenchmarks#EXECUTOR_CLASS}).
 */
public final class CoreThreadExecutor extends ThreadPoolExecutor {
  /**
   * Called by JMH.
   *
   * @param maxThreads the number of benchmark threads
   * @param prefix the thread name prefix
   */
  public CoreThreadExecutor(int maxThreads, String prefix) {
    super(maxThreads, maxThreads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
        new CoreThreadFactory(prefix));
  }

  private static final class CoreThreadFactory implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger next = new AtomicInteger();
    private final String prefix;

    CoreThreadFactory(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable body) {
      int core = next.getAndIncrement();
      CoreThread thread = new CoreThread(core, body, prefix + "-core-" + core);
      thread.setDaemon(true);
      return thread;
    }
  }
}
