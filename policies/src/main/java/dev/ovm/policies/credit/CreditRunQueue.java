package dev.ovm.policies.credit;

import dev.ovm.vmm.sched.SchedVcpu;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One physical CPU's run queue of the credit scheduler: the per-CPU representative of a {@link
 * dev.ovm.clustered.ClusteredObject} whose root is {@link CreditScheduler}, created on that CPU's
 * first use. A FIFO per priority, {@link
 * Priority#BOOST} before {@link Priority#UNDER} before {@link Priority#OVER}, as Xen's {@code
 * csched_pcpu} run queue ordered by priority.
 *
 * <p>Invariant: a vCPU is in at most one FIFO of at most one run queue; the scheduler records
 * which in its per-vCPU data.
 *
 * <p>Locking: none of its own; used only under the pool's scheduling lock.
 */
final class CreditRunQueue {
  /** Credit priorities, highest first. */
  enum Priority {
    /** Just woken from a block with credit left: runs before everything else (Xen's BOOST). */
    BOOST,
    /** Has credit left. */
    UNDER,
    /** Has used up its credit for this accounting period. */
    OVER
  }

  private final ArrayDeque<SchedVcpu> boost = new ArrayDeque<>();
  private final ArrayDeque<SchedVcpu> under = new ArrayDeque<>();
  private final ArrayDeque<SchedVcpu> over = new ArrayDeque<>();

  /** Appends {@code vcpu} to the FIFO of {@code priority}. */
  void add(SchedVcpu vcpu, Priority priority) {
    fifo(priority).addLast(vcpu);
  }

  /** Removes {@code vcpu} from the FIFO of {@code priority}; true if it was there. */
  boolean remove(SchedVcpu vcpu, Priority priority) {
    return fifo(priority).remove(vcpu);
  }

  /** The highest priority with a queued vCPU, or null if the queue is empty. */
  @Nullable Priority best() {
    if (!boost.isEmpty()) {
      return Priority.BOOST;
    }
    if (!under.isEmpty()) {
      return Priority.UNDER;
    }
    return over.isEmpty() ? null : Priority.OVER;
  }

  /** Removes and returns the first vCPU of the highest non-empty priority, or null. */
  @Nullable SchedVcpu poll() {
    Priority priority = best();
    return priority == null ? null : fifo(priority).pollFirst();
  }

  /** The queued vCPUs, next to run first. */
  List<SchedVcpu> inOrder() {
    List<SchedVcpu> order = new ArrayList<>(boost);
    order.addAll(under);
    order.addAll(over);
    return order;
  }

  /** Whether no vCPU is queued. */
  boolean isEmpty() {
    return best() == null;
  }

  private ArrayDeque<SchedVcpu> fifo(Priority priority) {
    return switch (priority) {
      case BOOST -> boost;
      case UNDER -> under;
      case OVER -> over;
    };
  }

  @Override
  public String toString(@GuardSatisfied CreditRunQueue this) {
    return "boost=" + boost + " under=" + under + " over=" + over;
  }
}
