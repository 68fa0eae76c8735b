package dev.ovm.memory;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * TLB shootdown for one VM: lets the owner of the VM's P2M learn when no hart of the VM can still
 * use a translation cached before a change, so that the machine frame the change unmapped can be
 * given to someone else. Every hart of the VM is a {@link Participant}: its TLB and fetch-page
 * cache hold machine offsets taken from the P2M.
 *
 * <p>Protocol (a generation barrier, like {@code dev.ovm.clustered.Quiescence} but over the VM's
 * harts, which the VMM may run on any physical CPU or all on one thread):
 *
 * <ol>
 *   <li>The changer removes the P2M entries, then calls {@link #shootDown()}, which starts a new
 *       generation.
 *   <li>A hart calls {@link Participant#enter()} when it starts running guest code, {@link
 *       Participant#due()} at every check point (before the first instruction and at least every
 *       few hundred instructions), and when that says so it drops every cached translation and
 *       calls {@link Participant#flushed(long)}. It calls {@link Participant#exit()} when it stops.
 *   <li>{@link #shootDown()} returns once every participant has flushed after the new generation
 *       or is not running (then it flushes before it runs again). A participant that runs on the
 *       calling thread itself (a device on the hart's own thread changed the P2M) is flushed
 *       synchronously through the flush action it registered.
 * </ol>
 *
 * <p>Why it is sound: {@code enter} writes {@code active} (volatile) before {@code due} reads the
 * generation; {@code shootDown} increments the generation before it reads {@code active}. In the
 * synchronization order one of them comes first, so either the waiter sees the hart active and
 * waits for its acknowledgement, or the hart sees the new generation before its next instruction.
 * A hart acknowledges only at a check point, between instructions, after it flushed: from then on
 * every access goes through the P2M again.
 *
 * <p>Takes no lock. Thread-safe.
 */
public final class TlbShootdown {
  private static final int SPINS = 128;
  private static final long PARK_NANOS = 20_000;

  private final AtomicLong generation = new AtomicLong();
  private final CopyOnWriteArrayList<Participant> participants = new CopyOnWriteArrayList<>();

  /**
   * Registers a hart.
   *
   * @param flush drops the hart's cached translations; run only on the hart's own thread while it
   *     is inside guest code (see {@link #shootDown()})
   * @return the hart's handle
   */
  public Participant register(Runnable flush) {
    Participant participant = new Participant(flush);
    participants.add(participant);
    return participant;
  }

  /** The generation of the latest shootdown (0 before the first). */
  public long generation() {
    return generation.get();
  }

  /**
   * Starts a new generation and waits until no participant can use a translation cached before
   * the call: each has flushed since, or is not running guest code. Call it after removing the P2M
   * entries and before freeing their frames. Waits without a bound for running harts (they check
   * within a few hundred instructions), spinning briefly and then parking.
   */
  public void shootDown() {
    long target = generation.incrementAndGet();
    Thread self = Thread.currentThread();
    for (Participant participant : participants) {
      participant.awaitFlushed(target, self);
    }
  }

  /** One hart's side of the protocol; its methods other than construction run on the hart's thread. */
  public final class Participant {
    private final Runnable flush;
    private volatile boolean active;
    private volatile long flushedGeneration;
    private volatile @Nullable Thread thread;

    private Participant(Runnable flush) {
      this.flush = flush;
    }

    /** The hart starts running guest code on the calling thread. */
    public void enter() {
      thread = Thread.currentThread();
      active = true;
    }

    /**
     * The generation the hart must flush for, or 0 if its caches are current. Cheap: two volatile
     * reads (plain loads on x86).
     */
    public long due() {
      long now = generation.get();
      return now != flushedGeneration ? now : 0;
    }

    /**
     * The hart dropped every cached translation after seeing generation {@code seen} (a value
     * {@link #due()} returned).
     */
    public void flushed(long seen) {
      flushedGeneration = seen;
    }

    /** The hart stopped running guest code (it checks {@link #due()} before it runs again). */
    public void exit() {
      active = false;
    }

    private void awaitFlushed(long target, Thread self) {
      if (!active || flushedGeneration >= target) {
        return;
      }
      if (thread == self) {
        // the hart is inside an instruction on this very thread (a device it drives changed the
        // P2M): it cannot reach a check point, so its caches are dropped here, synchronously
        flush.run();
        flushedGeneration = Math.max(flushedGeneration, target);
        return;
      }
      for (int spin = 0; spin < SPINS; spin++) {
        if (!active || flushedGeneration >= target) {
          return;
        }
        Thread.onSpinWait();
      }
      while (active && flushedGeneration < target) {
        LockSupport.parkNanos(this, PARK_NANOS);
      }
    }
  }
}
