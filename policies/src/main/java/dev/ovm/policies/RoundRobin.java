package dev.ovm.policies;

import dev.ovm.policies.internal.Imports;
import dev.ovm.policies.internal.Members;
import dev.ovm.policies.internal.ParameterValues;
import dev.ovm.vmm.sched.Decision;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.SchedulerState;
import dev.ovm.vmm.sched.StateFormat;
import dev.ovm.vmm.sched.VcpuState;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;

/**
 * Round robin: one FIFO queue of runnable vCPUs shared by the pool's physical CPUs, each run for a
 * fixed quantum (pool parameter {@code quantum}, default {@value #DEFAULT_QUANTUM} instructions)
 * and then appended to the tail. The textbook time-sliced policy (the baseline of every scheduler
 * comparison, e.g. Cherkasova et al. 2007); it knows no weights, so every CPU-bound vCPU gets an
 * equal share.
 *
 * <p>Data: the FIFO plus one "queued" flag per vCPU. Complexity: O(1) per hook except {@link
 * #remove} and {@link #sleep}, which are O(n) in the queue length.
 *
 * <p>Locking: none of its own; the pool runtime calls every hook with the pool's scheduling lock
 * held ({@link Scheduler} calling contract).
 */
public final class RoundRobin implements Scheduler {
  /** The registry name. */
  public static final String NAME = "round-robin";

  /** The default quantum, in instructions (1 ms at the nominal 100 MIPS). */
  public static final long DEFAULT_QUANTUM = 100_000;

  private static final List<String> POOL_KEYS = List.of("quantum");

  /** Per-vCPU data: whether it sits in the FIFO. */
  private static final class Entry {
    boolean queued;
  }

  private final Members<Entry> members = new Members<>();
  private final ArrayDeque<SchedVcpu> queue = new ArrayDeque<>();
  private long quantum = DEFAULT_QUANTUM;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void insert(SchedVcpu vcpu) {
    members.add(vcpu, new Entry());
    enqueueIfRunnable(vcpu);
  }

  @Override
  public void remove(SchedVcpu vcpu) {
    if (members.remove(vcpu).queued) {
      queue.remove(vcpu);
    }
  }

  @Override
  public void wake(SchedVcpu vcpu) {
    enqueueIfRunnable(vcpu);
  }

  @Override
  public void sleep(SchedVcpu vcpu) {
    Entry entry = members.get(vcpu);
    if (entry.queued) {
      entry.queued = false;
      queue.remove(vcpu);
    }
  }

  @Override
  public Decision pickNext(int cpu, long now) {
    SchedVcpu next;
    while ((next = queue.pollFirst()) != null) {
      members.get(next).queued = false;
      if (next.state() == VcpuState.RUNNABLE) {
        return Decision.run(next, quantum);
      }
    }
    return Decision.IDLE;
  }

  @Override
  public void account(SchedVcpu vcpu, int cpu, long instructions, long now) {
    enqueueIfRunnable(vcpu);
  }

  @Override
  public Map<String, String> parameters(String vm) {
    if (vm.equals(ParameterValues.POOL)) {
      return Map.of("quantum", Long.toString(quantum));
    }
    for (SchedVcpu vcpu : members.vcpus()) {
      if (vcpu.vm().equals(vm)) {
        return Map.of();
      }
    }
    throw ParameterValues.unknownVm(NAME, vm);
  }

  /**
   * Sets the pool parameter {@code quantum} (VM {@value ParameterValues#POOL}, 1..10^12
   * instructions); round robin has no per-VM parameters.
   */
  @Override
  public void setParameter(String vm, String key, String value) {
    if (!vm.equals(ParameterValues.POOL) || !key.equals("quantum")) {
      throw ParameterValues.unknownKey(NAME, key, POOL_KEYS);
    }
    quantum = ParameterValues.parse(key, value, 1, 1_000_000_000_000L);
  }

  @Override
  public String dump() {
    return NAME + " quantum=" + quantum + " queue=" + queue + " members=" + members.size();
  }

  @Override
  public List<StateFormat> exportFormats() {
    return List.of(StateFormat.RUN_QUEUE);
  }

  @Override
  public List<StateFormat> importFormats() {
    return List.of(StateFormat.RUN_QUEUE);
  }

  @Override
  public SchedulerState exportState(StateFormat format) {
    Imports.requireFormat(this, format, exportFormats());
    return new SchedulerState.RunQueue(members.inQueueOrder(queue));
  }

  /** Inserts every listed vCPU in order; runnable ones are queued in that order. */
  @Override
  public void importState(SchedulerState state) {
    Imports.requireFormat(this, state.format(), importFormats());
    Imports.requireEmpty(this, members.size());
    for (SchedVcpu vcpu : Imports.distinct(state.vcpus())) {
      insert(vcpu);
    }
  }

  private void enqueueIfRunnable(SchedVcpu vcpu) {
    Entry entry = members.get(vcpu);
    if (vcpu.state() == VcpuState.RUNNABLE && !entry.queued) {
      entry.queued = true;
      queue.addLast(vcpu);
    }
  }
}
