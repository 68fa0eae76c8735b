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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gang scheduling (co-scheduling) after Ousterhout, "Scheduling techniques for concurrent systems"
 * (ICDCS 1982): time is cut into slots of {@code slot} instructions (pool parameter, default
 * {@value #DEFAULT_SLOT}); in each slot exactly one VM owns the pool and its runnable vCPUs run on
 * the physical CPUs together, so spin-locks and barriers inside a guest see their partners running.
 * Slots go round robin over the VMs that have a runnable vCPU. The policy is strict: a physical CPU
 * for which the slot's VM has no runnable vCPU left idles until the slot ends (no backfilling with
 * another VM's vCPUs), and a VM with more vCPUs than physical CPUs rotates its vCPUs over its
 * slots. Slot boundaries are {@code now / slot}; a quantum never crosses one. An idle physical CPU
 * must ask again by the next boundary (the simulation harness asks every step).
 *
 * <p>Data: the VMs in round-robin order, each with a FIFO of its runnable vCPUs, and the current
 * slot and VM. Complexity: O(VMs) at a slot change, O(1) otherwise (O(n) for remove and sleep).
 *
 * <p>Locking: none of its own; every hook runs with the pool's scheduling lock held ({@link
 * Scheduler} calling contract).
 */
public final class GangScheduler implements Scheduler {
  /** The registry name. */
  public static final String NAME = "gang";

  /** The default slot length, in instructions (10 ms at 100 MIPS). */
  public static final long DEFAULT_SLOT = 1_000_000;

  private static final List<String> POOL_KEYS = List.of("slot");

  /** Per-vCPU data. */
  private static final class Entry {
    boolean queued;
  }

  private final Members<Entry> members = new Members<>();
  /** Runnable vCPUs per VM, VMs in round-robin order. */
  private final LinkedHashMap<String, ArrayDeque<SchedVcpu>> queues = new LinkedHashMap<>();
  private long slot = DEFAULT_SLOT;
  private long currentSlot = -1;
  private String currentVm = "";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void insert(SchedVcpu vcpu) {
    members.add(vcpu, new Entry());
    queues.computeIfAbsent(vcpu.vm(), vm -> new ArrayDeque<>());
    enqueueIfRunnable(vcpu);
  }

  @Override
  public void remove(SchedVcpu vcpu) {
    sleep(vcpu);
    members.remove(vcpu);
    ArrayDeque<SchedVcpu> queue = queues.get(vcpu.vm());
    if (queue != null && queue.isEmpty() && members.vcpusOf(vcpu.vm()).isEmpty()) {
      queues.remove(vcpu.vm());
    }
  }

  @Override
  public void wake(SchedVcpu vcpu) {
    enqueueIfRunnable(vcpu);
  }

  @Override
  public void sleep(SchedVcpu vcpu) {
    Entry entry = members.get(vcpu);
    ArrayDeque<SchedVcpu> queue = queues.get(vcpu.vm());
    if (entry.queued && queue != null) {
      queue.remove(vcpu);
    }
    entry.queued = false;
  }

  @Override
  public Decision pickNext(int cpu, long now) {
    long slotNow = now / slot;
    if (slotNow != currentSlot) {
      currentSlot = slotNow;
      currentVm = nextVm();
    }
    ArrayDeque<SchedVcpu> queue = queues.get(currentVm);
    if (queue == null) {
      return Decision.IDLE;
    }
    SchedVcpu next;
    while ((next = queue.pollFirst()) != null) {
      members.get(next).queued = false;
      if (next.state() == VcpuState.RUNNABLE) {
        return Decision.run(next, (slotNow + 1) * slot - now);
      }
    }
    return Decision.IDLE;
  }

  @Override
  public void account(SchedVcpu vcpu, int cpu, long instructions, long now) {
    enqueueIfRunnable(vcpu);
  }

  /** The VM that owns the current slot, or the empty string if none. */
  public String currentVm() {
    return currentVm;
  }

  @Override
  public Map<String, String> parameters(String vm) {
    if (vm.equals(ParameterValues.POOL)) {
      return Map.of("slot", Long.toString(slot));
    }
    if (!queues.containsKey(vm)) {
      throw ParameterValues.unknownVm(NAME, vm);
    }
    return Map.of();
  }

  /** Sets the pool's {@code slot} length (VM {@value ParameterValues#POOL}, 1..10^12 instructions). */
  @Override
  public void setParameter(String vm, String key, String value) {
    if (!vm.equals(ParameterValues.POOL) || !key.equals("slot")) {
      throw ParameterValues.unknownKey(NAME, key, POOL_KEYS);
    }
    slot = ParameterValues.parse(key, value, 1, 1_000_000_000_000L);
    currentSlot = -1;
  }

  @Override
  public String dump() {
    return NAME + " slot=" + slot + " current=" + currentVm + " queues=" + queues;
  }

  @Override
  public List<StateFormat> exportFormats() {
    return List.of(StateFormat.RUN_QUEUE);
  }

  @Override
  public List<StateFormat> importFormats() {
    return List.of(StateFormat.RUN_QUEUE);
  }

  /** Exports the queued vCPUs VM by VM in slot order, then the others. */
  @Override
  public SchedulerState exportState(StateFormat format) {
    Imports.requireFormat(this, format, exportFormats());
    List<SchedVcpu> front = new ArrayList<>();
    for (ArrayDeque<SchedVcpu> queue : queues.values()) {
      front.addAll(queue);
    }
    return new SchedulerState.RunQueue(members.inQueueOrder(front));
  }

  /** Inserts every listed vCPU in order; VMs take slots in order of first appearance. */
  @Override
  public void importState(SchedulerState state) {
    Imports.requireFormat(this, state.format(), importFormats());
    Imports.requireEmpty(this, members.size());
    for (SchedVcpu vcpu : Imports.distinct(state.vcpus())) {
      insert(vcpu);
    }
  }

  /** The VM after the current one (round robin, current one last) with a runnable vCPU, or "". */
  private String nextVm() {
    List<String> order = new ArrayList<>(queues.keySet());
    int start = order.indexOf(currentVm) + 1;
    for (int i = 0; i < order.size(); i++) {
      String vm = order.get((start + i) % order.size());
      ArrayDeque<SchedVcpu> queue = queues.get(vm);
      if (queue != null && !queue.isEmpty()) {
        return vm;
      }
    }
    return "";
  }


  private void enqueueIfRunnable(SchedVcpu vcpu) {
    Entry entry = members.get(vcpu);
    ArrayDeque<SchedVcpu> queue = queues.get(vcpu.vm());
    if (vcpu.state() == VcpuState.RUNNABLE && !entry.queued && queue != null) {
      entry.queued = true;
      queue.addLast(vcpu);
    }
  }
}
