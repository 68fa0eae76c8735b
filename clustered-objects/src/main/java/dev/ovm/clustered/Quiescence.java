package dev.ovm.clustered;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A generation barrier over physical CPUs: lets a hot swap or a TLB shootdown learn when every
 * physical CPU has passed a safe point after a given moment. This is K42's quiescent-state
 * detection for hot swapping (Appavoo et al., ACM TOCS 2007; Soules et al., "System Support for
 * Online Reconfiguration", USENIX ATC 2003), in the generation-counting form also known from RCU.
 *
 * <p>Protocol:
 *
 * <ol>
 *   <li>The initiator publishes its change (a new policy, an updated P2M entry), then calls
 *       {@link #requestGeneration()}, which returns a target generation {@code g}.
 *   <li>Every physical CPU calls {@link #quiescentPoint()} at its scheduling points, where it holds
 *       no reference obtained from the state being changed.
 *   <li>{@link #awaitQuiescent(long, Duration)} returns true once every physical CPU of the set has,
 *       since the request, passed a quiescent point or been idle. From then on no CPU can still be
 *       using what the change replaced.
 * </ol>
 *
 * <p>Idle and offline CPUs: a CPU is counted only from its first {@link #quiescentPoint()} or
 * {@link #wakeUp()}, and a CPU that calls {@link #goIdle()} (parking with no work, or leaving) is
 * quiescent until it wakes. A CPU must therefore call {@link #wakeUp()} before it touches shared
 * state after being idle, and must drop every reference into shared state before
 * {@link #goIdle()}. Threads that are not physical CPUs of the set are never waited for; their calls
 * to {@link #quiescentPoint()}, {@link #goIdle()} and {@link #wakeUp()} do nothing. Each core index
 * must be driven by one thread at a time.
 *
 * <p>Takes no lock. The hot path, {@link #quiescentPoint()} with no new request pending, is a type
 * check, a read of the shared generation and a read of the CPU's own padded cell, with no write.
 */
public final class Quiescence {
  /*
   * Implementation notes.
   *
   * generation counts requests. passed[i] holds the last generation core i saw at a quiescent point,
   * or IDLE (Long.MAX_VALUE, so that "passed >= target" holds for every target). Only core i writes
   * passed[i], and only when the value changes: once per request, so in the steady state the
   * cell's line stays shared between the core and the waiters and the core writes nothing.
   *
   * Correctness of the barrier: a request is a volatile increment; a core's point reads generation
   * (volatile) and then writes passed[i] (volatile). If the waiter reads passed[i] >= g, the core's
   * read of generation came after the increment in the synchronization order, so its point came
   * after the request. A core that was IDLE when the waiter looked writes passed[i] afterwards in
   * the synchronization order, so everything it reads after wakeUp() sees what was published
   * before the request.
   *
   * Waiting: spin briefly (a point is usually due within microseconds on a busy CPU), then park.
   * A core that changes its cell unparks the registered waiters. The cell write is volatile and the
   * waiter registers (a volatile CAS in the queue) before it re-checks, so the core either sees the
   * waiter or the waiter sees the cell: no lost wake-up. The park is still bounded (MAX_PARK) as a
   * second line of defence, which costs one wake-up per millisecond of waiting at most.
   */

  private static final long IDLE = Long.MAX_VALUE;
  private static final int SPINS = 256;
  private static final long MAX_PARK_NANOS = 1_000_000L;

  private final PaddedLong generation = new PaddedLong(0);
  private final PaddedLong[] passed;
  private final ConcurrentLinkedQueue<Thread> waiters = new ConcurrentLinkedQueue<>();

  /**
   * Creates a barrier over the physical CPUs of {@code cores}, all initially idle (not waited for
   * until their first {@link #quiescentPoint()} or {@link #wakeUp()}), at generation 0.
   *
   * @param cores the physical CPUs
   */
  public Quiescence(CoreSet cores) {
    passed = new PaddedLong[cores.size()];
    for (int core = 0; core < passed.length; core++) {
      passed[core] = new PaddedLong(IDLE);
    }
  }

  /**
   * Starts a new generation, after the caller has published its change.
   *
   * @return the target generation to pass to {@link #awaitQuiescent} or {@link #isQuiescent}
   */
  public long requestGeneration() {
    return generation.getAndAdd(1) + 1;
  }

  /**
   * Returns the latest requested generation.
   *
   * @return 0 before the first request
   */
  public long currentGeneration() {
    return generation.get();
  }

  /**
   * Marks a safe point of the calling physical CPU: it holds no reference into state that a
   * pending change may replace. Brings an idle CPU back into the set of CPUs waited for. Does
   * nothing on a thread that is not one of this set's physical CPUs.
   */
  public void quiescentPoint() {
    int core = Cores.currentIndex();
    if (core < 0 || core >= passed.length) {
      return;
    }
    PaddedLong mine = passed[core];
    long now = generation.get();
    if (mine.getPlain() != now) {
      mine.set(now);
      wakeWaiters();
    }
  }

  /** A quiescent point for a calling physical CPU that is active; leaves an idle one idle. */
  private void quiescentPointIfActive() {
    int core = Cores.currentIndex();
    if (core >= 0 && core < passed.length && passed[core].getPlain() != IDLE) {
      quiescentPoint();
    }
  }

  /**
   * Declares that the calling physical CPU goes idle (no work, or stops): until {@link #wakeUp()}
   * or its next {@link #quiescentPoint()} it counts as quiescent for every generation. It must hold
   * no reference into shared state that a change may replace. Does nothing on other threads.
   */
  public void goIdle() {
    int core = Cores.currentIndex();
    if (core < 0 || core >= passed.length) {
      return;
    }
    passed[core].set(IDLE);
    wakeWaiters();
  }

  /**
   * Declares that the calling physical CPU is running again; it is a quiescent point. Must be
   * called before the CPU touches shared state after {@link #goIdle()}.
   */
  public void wakeUp() {
    quiescentPoint();
  }

  /**
   * Tells whether every physical CPU has passed a quiescent point (or been idle) since generation
   * {@code target} was requested.
   *
   * @param target a generation returned by {@link #requestGeneration()}
   * @return true if no CPU can still be in a section that began before the request
   */
  public boolean isQuiescent(long target) {
    for (PaddedLong cell : passed) {
      if (cell.get() < target) {
        return false;
      }
    }
    return true;
  }

  /**
   * Waits until {@link #isQuiescent(long) isQuiescent(target)} or the timeout passes: spins
   * briefly, then parks (it does not keep a host core busy). If the caller is itself an active
   * physical CPU of the set, the call is a quiescent point for it (an idle caller stays idle).
   *
   * @param target a generation returned by {@link #requestGeneration()}
   * @param timeout how long to wait at most
   * @return true if quiescent, false if the timeout passed first
   * @throws InterruptedException if the waiting thread is interrupted
   * @throws IllegalArgumentException if {@code target} was never requested
   */
  public boolean awaitQuiescent(long target, Duration timeout) throws InterruptedException {
    if (target > generation.get()) {
      throw new IllegalArgumentException("generation " + target + " was never requested");
    }
    quiescentPointIfActive();
    for (int spin = 0; spin < SPINS; spin++) {
      if (isQuiescent(target)) {
        return true;
      }
      Thread.onSpinWait();
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Thread self = Thread.currentThread();
    waiters.add(self);
    try {
      while (!isQuiescent(target)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        LockSupport.parkNanos(this, Math.min(left, MAX_PARK_NANOS));
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
      return true;
    } finally {
      waiters.remove(self);
    }
  }

  private void wakeWaiters() {
    if (!waiters.isEmpty()) {
      for (Thread waiter : waiters) {
        LockSupport.unpark(waiter);
      }
    }
  }
}
