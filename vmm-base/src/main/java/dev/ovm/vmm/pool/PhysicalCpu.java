package dev.ovm.vmm.pool;

import dev.ovm.clustered.CoreThread;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A physical CPU in realtime mode: a host platform thread that loops — take one scheduling step of
 * its pool (ask the policy for the next vCPU when the current decision is used up, run a slice of
 * it), and idle briefly when there is nothing to run.
 *
 * <p>Quiescence: {@link #hold()} asks the thread to stop at its next scheduling point (between two
 * steps, when it runs no guest code and holds no lock); {@link #held()} tells when it got there;
 * {@link #release()} lets it go on. The VMM holds every physical CPU of a pool while it swaps the
 * pool's policy or removes a VM, as K42 quiesces a component before swapping it.
 *
 * <p>Thread safety: the control fields are volatile; the pool's per-CPU slot is touched only by
 * this thread, or by the VMM while this thread is held.
 */
public final class PhysicalCpu {
  private static final long IDLE_PARK_NANOS = 200_000;

  private final CpuPool pool;
  private final int index;
  private final long slice;
  private final LongSupplier now;
  private final int coreIndex;
  private final int vmmIndex;
  private @Nullable CoreThread thread;
  private volatile boolean running = true;
  private volatile boolean holdRequested;
  private volatile boolean held;
  /** The thread waiting in {@link #hold(Thread)} for this CPU to stop, unparked when it has. */
  private volatile @Nullable Thread holder;

  /**
   * Creates (does not start) the thread of physical CPU {@code index} of {@code pool}.
   *
   * @param coreIndex the core index within the pool (for the pool's clustered objects)
   * @param vmmIndex the index among all physical CPUs of the VMM (for VMM-wide clustered objects
   *     such as the machine frame allocator)
   * @param slice instructions per step (the latency of reaching a scheduling point)
   * @param now the pool time source (instructions)
   */
  public PhysicalCpu(
      CpuPool pool, int index, int coreIndex, int vmmIndex, long slice, LongSupplier now) {
    this.pool = pool;
    this.index = index;
    this.slice = slice;
    this.now = now;
    this.coreIndex = coreIndex;
    this.vmmIndex = vmmIndex;
  }

  /** Starts the thread (once). */
  public void start() {
    if (thread != null) {
      throw new IllegalStateException("physical CPU " + index + " was started already");
    }
    CoreThread t = new CoreThread(coreIndex, vmmIndex, this::loop, "ovm-pcpu-" + pool.name() + "-" + index);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void unpark() {
    CoreThread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  private void loop() {
    while (running) {
      if (holdRequested) {
        held = true;
        Thread waiting = holder;
        if (waiting != null) {
          LockSupport.unpark(waiting);
        }
        while (holdRequested && running) {
          LockSupport.park(this);
        }
        held = false;
        continue;
      }
      long t = now.getAsLong();
      long ran = pool.step(index, slice, t);
      if (ran == 0) {
        pool.idled(index, slice);
        LockSupport.parkNanos(this, IDLE_PARK_NANOS);
      }
    }
  }

  /**
   * Asks the thread to stop at its next scheduling point; see {@link #held()}. {@code waiter} is
   * unparked when it has stopped, so it can wait without occupying a host core.
   */
  public void hold(Thread waiter) {
    holder = waiter;
    holdRequested = true;
    pool.requestExitOfRunning(index);
    unpark();
  }

  /** True once the thread stopped at a scheduling point after {@link #hold()}. */
  public boolean held() {
    CoreThread t = thread;
    return held || t == null || !t.isAlive();
  }

  /** Lets a held thread go on. */
  public void release() {
    holder = null;
    holdRequested = false;
    unpark();
  }

  /** Wakes the thread if it idles (a vCPU became runnable). */
  public void kick() {
    unpark();
  }

  /** Ends the thread after its current step and waits for it. */
  public void stop() throws InterruptedException {
    running = false;
    unpark();
    CoreThread t = thread;
    if (t != null) {
      t.join();
    }
  }
}
