package dev.ovm.policies;

import dev.ovm.clustered.ClusteredObject;
import dev.ovm.clustered.CoreSet;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Static pinning after Xen's null scheduler ({@code sched_null.c}, Faggioli 2017): each vCPU is
 * assigned to one physical CPU of its own and only ever runs there; a physical CPU serves at most
 * one vCPU, so there is no time sharing at all (a blocked vCPU leaves its CPU idle). vCPUs beyond
 * the number of physical CPUs wait, in arrival order, until a CPU is freed by a {@link #remove}.
 * Assignment is automatic (the lowest free CPU) unless the VM's parameter {@code cpu} names a
 * first CPU: then vCPU {@code i} of that VM belongs on CPU {@code (cpu + i) mod n} and waits for it.
 * Setting {@code cpu} re-pins the VM's vCPUs at once, except a running one, which moves when it is
 * next re-pinned or freed. The quantum (pool parameter {@code quantum}, default {@value
 * #DEFAULT_QUANTUM}) only bounds how long before the CPU asks again.
 *
 * <p>Data: a FIFO of waiting vCPUs and each VM's first CPU in the root (this class); the vCPU of
 * each physical CPU in that CPU's {@link PinnedCpu}, the representative of a clustered object in
 * the sense of Tornado and K42 (Gamsa et al., OSDI '99; Appavoo et al., ACM TOCS 2007) over the
 * pool's physical CPUs, as Xen's null scheduler keeps its assignment per physical CPU ({@code
 * null_pcpu}). A CPU's rep is created by the miss handler when a vCPU is first assigned to it or
 * the CPU first picks; hooks use the rep of the CPU they name ({@link ClusteredObject#repOf}), not
 * the calling thread's core, and export and dump visit the reps that exist. Complexity: O(1) per
 * pick, O(CPUs + waiting) when an assignment changes.
 *
 * <p>Locking: none of its own; every hook runs with the pool's scheduling lock held ({@link
 * Scheduler} calling contract).
 */
public final class StaticPinning implements Scheduler {
  /** The registry name. */
  public static final String NAME = "null";

  /** How long a pinned vCPU runs before its CPU asks again, in instructions. */
  public static final long DEFAULT_QUANTUM = 1_000_000;

  private static final int AUTOMATIC = -1;
  private static final List<String> VM_KEYS = List.of("cpu");
  private static final List<String> POOL_KEYS = List.of("quantum");

  /** Per-vCPU data: its CPU, or {@link #AUTOMATIC} while it waits. */
  private static final class Entry {
    int cpu = AUTOMATIC;
  }

  /** One physical CPU's representative: the vCPU pinned to it, if any. */
  static final class PinnedCpu {
    @Nullable SchedVcpu vcpu;
  }

  private final Members<Entry> members = new Members<>();
  /** The per-physical-CPU assignment; replaced by {@link #start} for the pool's CPU count. */
  private ClusteredObject<PinnedCpu> cpus = newCpus(1);
  private final ArrayDeque<SchedVcpu> waiting = new ArrayDeque<>();
  private final Map<String, Integer> firstCpu = new HashMap<>();
  private long quantum = DEFAULT_QUANTUM;

  /** Creates the policy for one physical CPU until {@link #start} says otherwise. */
  public StaticPinning() {}

  /** vCPUs beyond the physical CPU count wait by design: not a stall for the watchdog. */
  @Override
  public boolean workConserving() {
    return false;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(int physicalCpus) {
    if (physicalCpus < 1) {
      throw new IllegalArgumentException("null needs at least one physical CPU, not " + physicalCpus);
    }
    Imports.requireEmpty(this, members.size());
    // no vCPU is held (checked above), so no CPU has an assignment to move to the new object
    cpus = newCpus(physicalCpus);
  }

  @Override
  public void insert(SchedVcpu vcpu) {
    members.add(vcpu, new Entry());
    firstCpu.putIfAbsent(vcpu.vm(), AUTOMATIC);
    waiting.addLast(vcpu);
    fill();
  }

  @Override
  public void remove(SchedVcpu vcpu) {
    unpin(vcpu, members.remove(vcpu));
    waiting.remove(vcpu);
    if (members.vcpusOf(vcpu.vm()).isEmpty()) {
      firstCpu.remove(vcpu.vm());
    }
    fill();
  }

  @Override
  public void wake(SchedVcpu vcpu) {
    members.get(vcpu);
  }

  @Override
  public Decision pickNext(int cpu, long now) {
    if (cpu < 0 || cpu >= cpuCount()) {
      return Decision.IDLE;
    }
    SchedVcpu vcpu = cpus.repOf(cpu).vcpu;
    if (vcpu != null && vcpu.state() == VcpuState.RUNNABLE) {
      return Decision.run(vcpu, quantum);
    }
    return Decision.IDLE;
  }

  @Override
  public void account(SchedVcpu vcpu, int cpu, long instructions, long now) {
    members.get(vcpu);
    fill();
  }

  /** The physical CPU {@code vcpu} is pinned to, or −1 while it waits for one. */
  public int cpuOf(SchedVcpu vcpu) {
    return members.get(vcpu).cpu;
  }

  @Override
  public Map<String, String> parameters(String vm) {
    if (vm.equals(ParameterValues.POOL)) {
      return Map.of("quantum", Long.toString(quantum));
    }
    Integer cpu = firstCpu.get(vm);
    if (cpu == null) {
      throw ParameterValues.unknownVm(NAME, vm);
    }
    return Map.of("cpu", Integer.toString(cpu));
  }

  /**
   * Sets a VM's first {@code cpu} (−1 = automatic, else 0..CPUs−1) and re-pins its vCPUs that are
   * not running, or the pool's {@code quantum} (VM {@value ParameterValues#POOL}).
   */
  @Override
  public void setParameter(String vm, String key, String value) {
    if (vm.equals(ParameterValues.POOL)) {
      if (!key.equals("quantum")) {
        throw ParameterValues.unknownKey(NAME, key, POOL_KEYS);
      }
      quantum = ParameterValues.parse(key, value, 1, 1_000_000_000_000L);
      return;
    }
    if (!firstCpu.containsKey(vm)) {
      throw ParameterValues.unknownVm(NAME, vm);
    }
    if (!key.equals("cpu")) {
      throw ParameterValues.unknownKey(NAME, key, VM_KEYS);
    }
    firstCpu.put(vm, ParameterValues.parseInt(key, value, AUTOMATIC, cpuCount() - 1));
    List<SchedVcpu> repin = new ArrayList<>();
    for (SchedVcpu vcpu : members.vcpusOf(vm)) {
      if (vcpu.state() != VcpuState.RUNNING) {
        unpin(vcpu, members.get(vcpu));
        waiting.remove(vcpu);
        repin.add(vcpu);
      }
    }
    for (int i = repin.size() - 1; i >= 0; i--) {
      waiting.addFirst(repin.get(i));
    }
    fill();
  }

  @Override
  public String dump() {
    List<@Nullable SchedVcpu> assigned = new ArrayList<>();
    for (int cpu = 0; cpu < cpuCount(); cpu++) {
      assigned.add(assignedTo(cpu));
    }
    return NAME + " cpus=" + assigned + " waiting=" + waiting;
  }

  @Override
  public List<StateFormat> exportFormats() {
    return List.of(StateFormat.RUN_QUEUE);
  }

  @Override
  public List<StateFormat> importFormats() {
    return List.of(StateFormat.RUN_QUEUE);
  }

  /** Exports the pinned vCPUs in CPU order, then the waiting ones in arrival order. */
  @Override
  public SchedulerState exportState(StateFormat format) {
    Imports.requireFormat(this, format, exportFormats());
    List<SchedVcpu> front = new ArrayList<>();
    cpus.forEachRep((cpu, rep) -> {
      if (rep.vcpu != null) {
        front.add(rep.vcpu);
      }
    });
    front.addAll(waiting);
    return new SchedulerState.RunQueue(members.inQueueOrder(front));
  }

  /** Inserts every listed vCPU in order, so the first ones get the CPUs. */
  @Override
  public void importState(SchedulerState state) {
    Imports.requireFormat(this, state.format(), importFormats());
    Imports.requireEmpty(this, members.size());
    for (SchedVcpu vcpu : Imports.distinct(state.vcpus())) {
      insert(vcpu);
    }
  }

  /** Gives every free CPU the first waiting vCPU that may use it. */
  private void fill() {
    for (int cpu = 0; cpu < cpuCount(); cpu++) {
      if (assignedTo(cpu) != null) {
        continue;
      }
      for (Iterator<SchedVcpu> it = waiting.iterator(); it.hasNext(); ) {
        SchedVcpu vcpu = it.next();
        int wanted = wantedCpu(vcpu);
        if (wanted == AUTOMATIC || wanted == cpu) {
          it.remove();
          cpus.repOf(cpu).vcpu = vcpu;
          members.get(vcpu).cpu = cpu;
          break;
        }
      }
    }
  }

  /** The vCPU pinned to {@code cpu}, or null (also when the CPU has no rep yet); creates none. */
  private @Nullable SchedVcpu assignedTo(int cpu) {
    PinnedCpu rep = cpus.repIfPresent(cpu);
    return rep == null ? null : rep.vcpu;
  }

  /** The pool's number of physical CPUs (one assignment slot each). */
  private int cpuCount() {
    return cpus.coreSet().size();
  }

  /** A clustered object with one (lazily created) assignment per physical CPU of the pool. */
  private static ClusteredObject<PinnedCpu> newCpus(int physicalCpus) {
    return new ClusteredObject<>(CoreSet.of(physicalCpus), core -> new PinnedCpu());
  }

  /**
   * The per-physical-CPU assignments (for tests: which reps exist).
   *
   * @return the clustered object whose reps are the CPUs' assignments
   */
  ClusteredObject<PinnedCpu> cpus() {
    return cpus;
  }

  private int wantedCpu(SchedVcpu vcpu) {
    int first = firstCpu.getOrDefault(vcpu.vm(), AUTOMATIC);
    return first == AUTOMATIC ? AUTOMATIC : (first + vcpu.index()) % cpuCount();
  }

  private void unpin(SchedVcpu vcpu, Entry entry) {
    PinnedCpu rep = entry.cpu >= 0 && entry.cpu < cpuCount() ? cpus.repIfPresent(entry.cpu) : null;
    if (rep != null && rep.vcpu == vcpu) {
      rep.vcpu = null;
    }
    entry.cpu = AUTOMATIC;
  }
}
