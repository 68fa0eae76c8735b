package dev.ovm.memory.bench;

import dev.ovm.clustered.CoreSet;
import dev.ovm.memory.frames.FrameAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Machine frame allocation under contention: one allocate-release pair per operation, total
 * throughput over all threads, for the clustered {@link FrameAllocator} (one rep per physical CPU,
 * only the local rep's lock on this path) against one {@link LockedFrameAllocator} (the same
 * verified free set behind one lock). JMH thread {@code i} acts as physical CPU {@code i}: it
 * passes its index as the VMM-wide CPU number, which is what {@link FrameAllocator#allocate()}
 * reads from the calling physical CPU's thread. Run with {@code -t 1}, {@code -t 2}, {@code -t 4}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class FrameAllocatorBenchmark {
  /** 256 MiB of 4 KiB frames. */
  private static final int FRAMES = 1 << 16;

  private FrameAllocator clustered = new FrameAllocator(FRAMES, 512, CoreSet.of(1));
  private LockedFrameAllocator locked = new LockedFrameAllocator(FRAMES);

  /**
   * Builds both allocators, the clustered one over as many physical CPUs as benchmark threads.
   *
   * @param params JMH's parameters of the run
   */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    clustered = new FrameAllocator(FRAMES, 512, CoreSet.of(params.getThreads()));
    locked = new LockedFrameAllocator(FRAMES);
  }

  /**
   * Allocates a frame on this thread's physical CPU and releases it.
   *
   * @param thread gives the thread's index, used as its physical CPU
   * @return the frame (so the pair is not optimized away)
   */
  @Benchmark
  public int clustered(ThreadParams thread) {
    int frame = clustered.allocate(thread.getThreadIndex());
    clustered.release(frame);
    return frame;
  }

  /**
   * Allocates a frame from the single locked allocator and releases it.
   *
   * @return the frame
   */
  @Benchmark
  public int locked() {
    int frame = locked.allocate();
    locked.release(frame);
    return frame;
  }
}
