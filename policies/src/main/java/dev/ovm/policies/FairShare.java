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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fair share by virtual runtime, after Linux CFS (Molnar 2007; the weighted fair queueing idea of
 * Stoica et al. 1996): each vCPU has a virtual runtime that grows by {@code instructions × 1024 /
 * weight} when it runs, and the runnable vCPU with the smallest virtual runtime runs next, so over
 * time CPU-bound vCPUs receive instructions in proportion to their weights. The weight is a per-VM
 * parameter ({@code weight}, 1..65535, default {@value #DEFAULT_WEIGHT}) that every vCPU of the VM
 * carries (unlike credit, which divides a VM's weight among its vCPUs). A vCPU that wakes after a
 * sleep gets {@code max(own, min_vruntime − latency/2)}, so sleeping banks at most half a latency
 * period of virtual runtime; the quantum is {@code latency × weight / runnable weight}, at least {@code granularity}
 * (pool parameters).
 *
 * <p>Data: a tree of runnable vCPUs ordered by (virtual runtime, arrival), per-VM weights, and per
 * vCPU the virtual runtime and instructions consumed. Complexity: O(log n) per pick, wake and
 * account.
 *
 * <p>Locking: none of its own; every hook runs with the pool's scheduling lock held ({@link
 * Scheduler} calling contract).
 */
public final class FairShare implements Scheduler {
  /** The registry name. */
  public static final String NAME = "fair-share";

  /** The default weight of a VM (CFS's nice-0 weight). */
  public static final int DEFAULT_WEIGHT = 1024;

  /** The largest weight, the same as credit's so that weights transfer both ways. */
  public static final int MAX_WEIGHT = 65_535;

  private static final List<String> VM_KEYS = List.of("weight");
  private static final List<String> POOL_KEYS = List.of("latency", "granularity");

  /** Per-vCPU data. */
  private static final class Entry {
    final SchedVcpu vcpu;
    /** Virtual runtime, in instructions × 1024 / weight. */
    long vruntime;
    /** Instructions consumed since the vCPU joined (carried across swaps). */
    long consumed;
    /** Arrival number, breaking ties in the tree. */
    long sequence;
    boolean queued;

    Entry(SchedVcpu vcpu) {
      this.vcpu = vcpu;
    }
  }

  /** Tree order: smallest virtual runtime first, then arrival. */
  private static final Comparator<Entry> BY_VRUNTIME =
      Comparator.<Entry>comparingLong(entry -> entry.vruntime).thenComparingLong(entry -> entry.sequence);

  private final Members<Entry> members = new Members<>();
  private final Map<String, Integer> weights = new HashMap<>();
  private final TreeSet<Entry> tree = new TreeSet<>(BY_VRUNTIME);
  /** The sum of the weights of the vCPUs in the tree. */
  private long queuedWeight;
  private long minVruntime;
  private long nextSequence;
  private long latency = 2_000_000;
  private long granularity = 200_000;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void insert(SchedVcpu vcpu) {
    Entry entry = members.add(vcpu, new Entry(vcpu));
    weights.putIfAbsent(vcpu.vm(), DEFAULT_WEIGHT);
    entry.vruntime = minVruntime;
    enqueueIfRunnable(vcpu, entry);
  }

  @Override
  public void remove(SchedVcpu vcpu) {
    dequeue(vcpu, members.get(vcpu));
    members.remove(vcpu);
    if (members.vcpusOf(vcpu.vm()).isEmpty()) {
      weights.remove(vcpu.vm());
    }
  }

  /**
   * Queues a runnable vCPU, lifting a sleeper's virtual runtime to at least {@code min_vruntime −
   * latency/2} (CFS's gentle sleepers; the slack is in virtual-runtime units, as in CFS).
   */
  @Override
  public void wake(SchedVcpu vcpu) {
    Entry entry = members.get(vcpu);
    if (entry.queued || vcpu.state() != VcpuState.RUNNABLE) {
      return;
    }
    entry.vruntime = Math.max(entry.vruntime, minVruntime - latency / 2);
    enqueueIfRunnable(vcpu, entry);
  }

  @Override
  public void sleep(SchedVcpu vcpu) {
    dequeue(vcpu, members.get(vcpu));
  }

  @Override
  public Decision pickNext(int cpu, long now) {
    Entry next;
    while ((next = tree.pollFirst()) != null) {
      next.queued = false;
      if (next.vcpu.state() == VcpuState.RUNNABLE) {
        return Decision.run(next.vcpu, quantumFor(next.vcpu));
      }
    }
    return Decision.IDLE;
  }

  @Override
  public void account(SchedVcpu vcpu, int cpu, long instructions, long now) {
    Entry entry = members.get(vcpu);
    dequeue(vcpu, entry);
    long ran = Math.max(0, instructions);
    entry.consumed += ran;
    entry.vruntime += ran * 1024 / weightOf(vcpu);
    long floor = tree.isEmpty() ? entry.vruntime : Math.min(entry.vruntime, tree.first().vruntime);
    minVruntime = Math.max(minVruntime, floor);
    enqueueIfRunnable(vcpu, entry);
  }

  @Override
  public Map<String, String> parameters(String vm) {
    if (vm.equals(ParameterValues.POOL)) {
      return Map.of("latency", Long.toString(latency), "granularity", Long.toString(granularity));
    }
    return Map.of("weight", Integer.toString(requireVm(vm)));
  }

  /**
   * Sets a VM's {@code weight} (1..65535), or the pool's {@code latency} or {@code granularity}
   * (VM {@value ParameterValues#POOL}, instructions, 1..10^12). A new weight applies from the next
   * instruction accounted.
   */
  @Override
  public void setParameter(String vm, String key, String value) {
    if (vm.equals(ParameterValues.POOL)) {
      switch (key) {
        case "latency" -> latency = ParameterValues.parse(key, value, 1, 1_000_000_000_000L);
        case "granularity" -> granularity = ParameterValues.parse(key, value, 1, 1_000_000_000_000L);
        default -> throw ParameterValues.unknownKey(NAME, key, POOL_KEYS);
      }
      return;
    }
    requireVm(vm);
    if (!key.equals("weight")) {
      throw ParameterValues.unknownKey(NAME, key, VM_KEYS);
    }
    int weight = ParameterValues.parseInt(key, value, 1, MAX_WEIGHT);
    List<SchedVcpu> queuedOfVm = new ArrayList<>();
    for (SchedVcpu vcpu : members.vcpusOf(vm)) {
      Entry entry = members.get(vcpu);
      if (entry.queued) {
        dequeue(vcpu, entry);
        queuedOfVm.add(vcpu);
      }
    }
    weights.put(vm, weight);
    for (SchedVcpu vcpu : queuedOfVm) {
      enqueueIfRunnable(vcpu, members.get(vcpu));
    }
  }

  @Override
  public String dump() {
    StringBuilder out = new StringBuilder(NAME).append(" min_vruntime=").append(minVruntime);
    for (Map.Entry<SchedVcpu, Entry> e : members.entries()) {
      out.append("\n  ").append(e.getKey()).append(" weight=").append(weightOf(e.getKey()))
          .append(" vruntime=").append(e.getValue().vruntime)
          .append(" consumed=").append(e.getValue().consumed);
    }
    return out.toString();
  }

  @Override
  public List<StateFormat> exportFormats() {
    return List.of(StateFormat.PROPORTIONAL_SHARE, StateFormat.RUN_QUEUE);
  }

  @Override
  public List<StateFormat> importFormats() {
    return List.of(StateFormat.PROPORTIONAL_SHARE, StateFormat.RUN_QUEUE);
  }

  /**
   * Exports the run queue, or additionally each VM's weight (cap 0: fair share enforces no caps),
   * each vCPU's consumed instructions and, as credit, its lag behind {@code min_vruntime} in
   * instructions ({@code (min_vruntime − vruntime) × weight / 1024}; positive means owed CPU).
   */
  @Override
  public SchedulerState exportState(StateFormat format) {
    Imports.requireFormat(this, format, exportFormats());
    List<SchedVcpu> queued = new ArrayList<>();
    for (Entry entry : tree) {
      queued.add(entry.vcpu);
    }
    List<SchedVcpu> order = members.inQueueOrder(queued);
    if (format == StateFormat.RUN_QUEUE) {
      return new SchedulerState.RunQueue(order);
    }
    Map<String, SchedulerState.Share> shares = new HashMap<>();
    Map<String, Long> consumed = new HashMap<>();
    Map<String, Long> credit = new HashMap<>();
    for (SchedVcpu vcpu : order) {
      Entry entry = members.get(vcpu);
      int weight = weightOf(vcpu);
      shares.put(vcpu.vm(), new SchedulerState.Share(weight, 0));
      consumed.put(vcpu.key(), entry.consumed);
      credit.put(vcpu.key(), (minVruntime - entry.vruntime) * weight / 1024);
    }
    return new SchedulerState.ProportionalShare(order, shares, consumed, credit);
  }

  /**
   * Imports a run queue (weights default to {@value #DEFAULT_WEIGHT}, virtual runtimes equal) or a
   * proportional share (weights and consumed kept; a credit becomes a virtual-runtime lead or lag
   * of {@code credit × 1024 / weight}, clamped to ±latency/2 like a sleeper's; caps are dropped).
   */
  @Override
  public void importState(SchedulerState state) {
    Imports.requireFormat(this, state.format(), importFormats());
    Imports.requireEmpty(this, members.size());
    List<SchedVcpu> vcpus = Imports.distinct(state.vcpus());
    if (state instanceof SchedulerState.ProportionalShare share) {
      for (Map.Entry<String, SchedulerState.Share> e : share.shares().entrySet()) {
        weights.put(e.getKey(), (int) ParameterValues.requireRange(
            "weight of " + e.getKey(), e.getValue().weight(), 1, MAX_WEIGHT));
      }
      for (SchedVcpu vcpu : vcpus) {
        Entry entry = members.add(vcpu, new Entry(vcpu));
        weights.putIfAbsent(vcpu.vm(), DEFAULT_WEIGHT);
        entry.consumed = share.consumed().getOrDefault(vcpu.key(), 0L);
        long credit = Math.clamp(share.credit().getOrDefault(vcpu.key(), 0L), -(1L << 40), 1L << 40);
        long lead = credit * 1024 / weightOf(vcpu);
        entry.vruntime = minVruntime - Math.clamp(lead, -latency / 2, latency / 2);
      }
      for (SchedVcpu vcpu : vcpus) {
        enqueueIfRunnable(vcpu, members.get(vcpu));
      }
      return;
    }
    for (SchedVcpu vcpu : vcpus) {
      insert(vcpu);
    }
  }

  private long quantumFor(SchedVcpu vcpu) {
    long runnableWeight = weightOf(vcpu) + queuedWeight;
    return Math.max(granularity, latency * weightOf(vcpu) / runnableWeight);
  }

  private void enqueueIfRunnable(SchedVcpu vcpu, Entry entry) {
    if (vcpu.state() == VcpuState.RUNNABLE && !entry.queued) {
      entry.sequence = nextSequence++;
      entry.queued = true;
      tree.add(entry);
      queuedWeight += weightOf(vcpu);
    }
  }

  private void dequeue(SchedVcpu vcpu, Entry entry) {
    if (entry.queued) {
      tree.remove(entry);
      queuedWeight -= weightOf(vcpu);
      entry.queued = false;
    }
  }

  private int weightOf(SchedVcpu vcpu) {
    return weights.getOrDefault(vcpu.vm(), DEFAULT_WEIGHT);
  }

  private int requireVm(String vm) {
    Integer weight = weights.get(vm);
    if (weight == null) {
      throw ParameterValues.unknownVm(NAME, vm);
    }
    return weight;
  }
}
