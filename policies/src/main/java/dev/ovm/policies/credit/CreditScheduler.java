package dev.ovm.policies.credit;

import dev.ovm.clustered.ClusteredObject;
import dev.ovm.clustered.CoreSet;
import dev.ovm.policies.credit.CreditRunQueue.Priority;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Xen's credit scheduler (Cherkasova, Gupta and Vahdat, "Comparison of the three CPU schedulers in
 * Xen", SIGMETRICS PER 2007; Xen's {@code sched_credit.c}), with time in instructions. Each VM has
 * a weight (1..65535, default {@value #DEFAULT_WEIGHT}) and a cap (percent of one physical CPU over
 * all its vCPUs, 0 = none, at most 100 × vCPUs). Every accounting period ({@value
 * #SLICES_PER_PERIOD} slices; slice {@value #DEFAULT_SLICE} instructions = Xen's 30 ms at the
 * nominal 100 MIPS, pool parameter {@code slice}) the pool's capacity of {@code period × CPUs}
 * credits is dealt to the VMs that were active, in proportion to their weights, limited by their
 * caps and by one CPU per active vCPU, and split evenly among each VM's active vCPUs. Running burns
 * one credit per instruction. A vCPU with credit is UNDER, one without is OVER; UNDER runs before
 * OVER, and a vCPU woken from a block with credit left is BOOSTed ahead of both for one tick (a
 * third of a slice). A capped vCPU runs only while it has credit (its quantum is clipped to its
 * balance) and is parked until the next accounting once it has none, so a cap holds exactly.
 * Balances are kept in [−slice, period] (Xen's lower and upper bounds), through {@link
 * CreditAccount}, the KeY-verified credit arithmetic.
 *
 * <p>Data: a clustered object in the sense of Tornado and K42 (Gamsa et al., OSDI '99; Appavoo et
 * al., ACM TOCS 2007). The root (this class) holds the VMs' weights and caps and the accounting;
 * each physical CPU's representative is its {@link CreditRunQueue} (Xen credit's per-CPU run queue,
 * {@code csched_pcpu}), a rep of a {@link ClusteredObject} over the pool's physical CPUs ({@link
 * #start}), created by the miss handler the first time something is queued on that CPU or that CPU
 * picks. A hook acts on the rep of the CPU it names ({@link ClusteredObject#repOf}, never the
 * calling thread's core: hooks may run on another thread under the pool's lock). A vCPU is queued
 * on the CPU it last ran on; a CPU whose best local priority is below a peer's steals the peer's
 * best vCPU (Xen's load balancing, which lets an idle CPU take even OVER work), looking only at the
 * reps that exist ({@link ClusteredObject#repIfPresent}; a CPU without a rep has nothing queued).
 * Complexity: O(CPUs) per pick, O(n) per accounting period.
 * Unlike Xen there is no preemption on wake (the runtime has no preemption hook), and credit a VM
 * cannot use because of its vCPU count is not redistributed.
 *
 * <p>Locking: none of its own; every hook runs with the pool's scheduling lock held ({@link
 * Scheduler} calling contract).
 */
public final class CreditScheduler implements Scheduler {
  /** The registry name. */
  public static final String NAME = "credit";

  /** The default weight of a VM (Xen's). */
  public static final int DEFAULT_WEIGHT = 256;

  /** The largest weight (Xen's). */
  public static final int MAX_WEIGHT = 65_535;

  /** The default slice, in instructions (30 ms at the nominal 100 MIPS). */
  public static final long DEFAULT_SLICE = 3_000_000;

  /** Slices per accounting period (Xen accounts every 30 ms with 10 ms ticks, i.e. 3 ticks). */
  public static final int SLICES_PER_PERIOD = 3;

  /** The largest slice: 10 s at 100 MIPS, so that a period's credit for 300 CPUs fits {@link CreditAccount#share}. */
  private static final long MAX_SLICE = 1_000_000_000L;
  private static final List<String> VM_KEYS = List.of("weight", "cap");
  private static final List<String> POOL_KEYS = List.of("slice");

  /** A VM's parameters. */
  private static final class CreditVm {
    int weight = DEFAULT_WEIGHT;
    int capPercent;
  }

  /** Per-vCPU data. */
  private static final class Entry {
    CreditAccount credit;
    Priority priority = Priority.UNDER;
    /** The CPU whose run queue holds it (or will). */
    int home;
    boolean queued;
    /** Capped and out of credit: not queued until the next accounting gives it credit. */
    boolean parked;
    /** It blocked (rather than being paused), so its next wake boosts it. */
    boolean blocked;
    long consumed;
    /** Instructions run in the current accounting period: it counts as active. */
    long burned;

    Entry(CreditAccount credit, int home) {
      this.credit = credit;
      this.home = home;
    }
  }

  private final Members<Entry> members = new Members<>();
  private final Map<String, CreditVm> vms = new LinkedHashMap<>();
  /** The per-physical-CPU run queues; replaced by {@link #start} for the pool's CPU count. */
  private ClusteredObject<CreditRunQueue> runQueues = newRunQueues(1);
  private long slice = DEFAULT_SLICE;
  private long nextAccounting = -1;
  private int nextHome;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(int physicalCpus) {
    if (physicalCpus < 1) {
      throw new IllegalArgumentException("credit needs at least one physical CPU, not " + physicalCpus);
    }
    Imports.requireEmpty(this, members.size());
    // no vCPU is held (checked above), so no queue has anything to move to the new object
    runQueues = newRunQueues(physicalCpus);
  }

  @Override
  public void insert(SchedVcpu vcpu) {
    vms.computeIfAbsent(vcpu.vm(), vm -> new CreditVm());
    Entry entry = members.add(vcpu, new Entry(newAccount(), nextHome));
    nextHome = (nextHome + 1) % cpuCount();
    enqueue(vcpu, entry);
  }

  @Override
  public void remove(SchedVcpu vcpu) {
    dequeue(vcpu, members.get(vcpu));
    members.remove(vcpu);
    if (members.vcpusOf(vcpu.vm()).isEmpty()) {
      vms.remove(vcpu.vm());
    }
  }

  /** Queues a runnable vCPU; one that had blocked and has credit left is boosted. */
  @Override
  public void wake(SchedVcpu vcpu) {
    Entry entry = members.get(vcpu);
    if (entry.queued || vcpu.state() != VcpuState.RUNNABLE) {
      return;
    }
    if (entry.blocked && !entry.parked && entry.credit.balance() > 0) {
      entry.priority = Priority.BOOST;
    }
    entry.blocked = false;
    enqueue(vcpu, entry);
  }

  @Override
  public void sleep(SchedVcpu vcpu) {
    Entry entry = members.get(vcpu);
    dequeue(vcpu, entry);
    entry.blocked = vcpu.state() == VcpuState.BLOCKED;
  }

  @Override
  public Decision pickNext(int cpu, long now) {
    accountIfDue(now);
    // load balancing (Xen's csched_load_balance): the best queue, the picking CPU's own on ties,
    // then the others in CPU order; a CPU without a rep has nothing queued
    CreditRunQueue source = runQueue(cpu);
    for (int peerCpu = 0; peerCpu < cpuCount(); peerCpu++) {
      CreditRunQueue peer = runQueues.repIfPresent(peerCpu);
      if (peer != null && rank(peer.best()) < rank(source.best())) {
        source = peer;
      }
    }
    SchedVcpu next;
    while ((next = source.poll()) != null) {
      Entry entry = members.get(next);
      entry.queued = false;
      if (next.state() == VcpuState.RUNNABLE) {
        entry.home = cpu;
        return Decision.run(next, quantum(next, entry));
      }
    }
    return Decision.IDLE;
  }

  /** Burns {@code instructions} credits, then re-queues a runnable vCPU at its new priority. */
  @Override
  public void account(SchedVcpu vcpu, int cpu, long instructions, long now) {
    Entry entry = members.get(vcpu);
    dequeue(vcpu, entry);
    long ran = Math.max(0, instructions);
    entry.consumed += ran;
    entry.burned += ran;
    entry.credit.burn(ran);
    entry.priority = entry.credit.balance() > 0 ? Priority.UNDER : Priority.OVER;
    entry.parked = isCapped(vcpu) && entry.credit.balance() <= 0;
    entry.blocked = vcpu.state() == VcpuState.BLOCKED;
    enqueue(vcpu, entry);
    accountIfDue(now);
  }

  /** Moves a queued or future {@code vcpu} to {@code toCpu}'s run queue. */
  @Override
  public void migrate(SchedVcpu vcpu, int fromCpu, int toCpu) {
    Entry entry = members.get(vcpu);
    dequeue(vcpu, entry);
    entry.home = Math.floorMod(toCpu, cpuCount());
    enqueue(vcpu, entry);
  }

  /** Runs the accounting when an accounting period has ended by {@code now}. */
  @Override
  public void tick(long now) {
    accountIfDue(now);
  }

  @Override
  public Map<String, String> parameters(String vm) {
    if (vm.equals(ParameterValues.POOL)) {
      return Map.of("slice", Long.toString(slice));
    }
    CreditVm params = requireVm(vm);
    return Map.of("weight", Integer.toString(params.weight), "cap", Integer.toString(params.capPercent));
  }

  /**
   * Sets a VM's {@code weight} (1..65535) or {@code cap} (0..100 × its vCPUs, percent of one
   * physical CPU; 0 = uncapped), effective from the next accounting period, or the pool's {@code
   * slice} (VM {@value ParameterValues#POOL}, 1..10^9 instructions; balances are clamped into the
   * new bounds at once, the accounting period changes from the next one).
   */
  @Override
  public void setParameter(String vm, String key, String value) {
    if (vm.equals(ParameterValues.POOL)) {
      if (!key.equals("slice")) {
        throw ParameterValues.unknownKey(NAME, key, POOL_KEYS);
      }
      slice = ParameterValues.parse(key, value, 1, MAX_SLICE);
      for (Map.Entry<SchedVcpu, Entry> e : members.entries()) {
        e.getValue().credit = newAccount(e.getValue().credit.balance());
      }
      return;
    }
    CreditVm params = requireVm(vm);
    switch (key) {
      case "weight" -> params.weight = ParameterValues.parseInt(key, value, 1, MAX_WEIGHT);
      case "cap" -> params.capPercent = ParameterValues.parseInt(key, value, 0, maxCap(vm));
      default -> throw ParameterValues.unknownKey(NAME, key, VM_KEYS);
    }
  }

  @Override
  public String dump() {
    StringBuilder out = new StringBuilder(NAME).append(" slice=").append(slice)
        .append(" next-accounting=").append(nextAccounting);
    for (Map.Entry<SchedVcpu, Entry> e : members.entries()) {
      Entry entry = e.getValue();
      CreditVm params = vms.get(e.getKey().vm());
      out.append("\n  ").append(e.getKey()).append(" weight=").append(params == null ? 0 : params.weight)
          .append(" cap=").append(params == null ? 0 : params.capPercent)
          .append(" credit=").append(entry.credit.balance()).append(' ').append(entry.priority)
          .append(entry.parked ? " parked" : "").append(" cpu=").append(entry.home)
          .append(" consumed=").append(entry.consumed);
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
   * Exports the vCPUs (queued ones first, CPU by CPU in priority order), and for {@link
   * StateFormat#PROPORTIONAL_SHARE} each VM's weight and cap and each vCPU's consumed instructions
   * and credit balance.
   */
  @Override
  public SchedulerState exportState(StateFormat format) {
    Imports.requireFormat(this, format, exportFormats());
    List<SchedVcpu> front = new ArrayList<>();
    for (CreditRunQueue queue : runQueues.reps()) {
      front.addAll(queue.inOrder());
    }
    List<SchedVcpu> order = members.inQueueOrder(front);
    if (format == StateFormat.RUN_QUEUE) {
      return new SchedulerState.RunQueue(order);
    }
    Map<String, SchedulerState.Share> shares = new HashMap<>();
    for (Map.Entry<String, CreditVm> e : vms.entrySet()) {
      shares.put(e.getKey(), new SchedulerState.Share(e.getValue().weight, e.getValue().capPercent));
    }
    Map<String, Long> consumed = new HashMap<>();
    Map<String, Long> credit = new HashMap<>();
    for (SchedVcpu vcpu : order) {
      Entry entry = members.get(vcpu);
      consumed.put(vcpu.key(), entry.consumed);
      credit.put(vcpu.key(), entry.credit.balance());
    }
    return new SchedulerState.ProportionalShare(order, shares, consumed, credit);
  }

  /**
   * Imports a run queue (every VM gets weight {@value #DEFAULT_WEIGHT}, no cap, zero credit) or a
   * proportional share (weights, caps, consumed kept; credit clamped to [−slice, period]).
   *
   * @throws IllegalArgumentException if a weight or cap is out of range for its VM
   */
  @Override
  public void importState(SchedulerState state) {
    Imports.requireFormat(this, state.format(), importFormats());
    Imports.requireEmpty(this, members.size());
    List<SchedVcpu> vcpus = Imports.distinct(state.vcpus());
    for (SchedVcpu vcpu : vcpus) {
      vms.computeIfAbsent(vcpu.vm(), vm -> new CreditVm());
      members.add(vcpu, new Entry(newAccount(), nextHome));
      nextHome = (nextHome + 1) % cpuCount();
    }
    if (state instanceof SchedulerState.ProportionalShare share) {
      for (Map.Entry<String, SchedulerState.Share> e : share.shares().entrySet()) {
        CreditVm params = vms.get(e.getKey());
        if (params != null) {
          params.weight = (int) ParameterValues.requireRange(
              "weight of " + e.getKey(), e.getValue().weight(), 1, MAX_WEIGHT);
          params.capPercent = (int) ParameterValues.requireRange(
              "cap of " + e.getKey(), e.getValue().capPercent(), 0, maxCap(e.getKey()));
        }
      }
      for (SchedVcpu vcpu : vcpus) {
        Entry entry = members.get(vcpu);
        entry.consumed = share.consumed().getOrDefault(vcpu.key(), 0L);
        entry.credit = newAccount(share.credit().getOrDefault(vcpu.key(), 0L));
        entry.priority = entry.credit.balance() > 0 ? Priority.UNDER : Priority.OVER;
      }
    }
    for (SchedVcpu vcpu : vcpus) {
      enqueue(vcpu, members.get(vcpu));
    }
  }

  /** The instructions {@code vcpu} has consumed under this policy (and those before a swap). */
  public long consumed(SchedVcpu vcpu) {
    return members.get(vcpu).consumed;
  }

  /** The credit balance of {@code vcpu}, in instructions. */
  public long credit(SchedVcpu vcpu) {
    return members.get(vcpu).credit.balance();
  }

  private long period() {
    return slice * SLICES_PER_PERIOD;
  }

  private CreditAccount newAccount() {
    return new CreditAccount(-slice, period());
  }

  /** A new account with the current bounds holding {@code balance}, clamped into them. */
  private CreditAccount newAccount(long balance) {
    CreditAccount account = newAccount();
    if (balance >= 0) {
      account.refill(balance);
    } else {
      account.burn(-Math.max(balance, -Long.MAX_VALUE));
    }
    return account;
  }

  private void accountIfDue(long now) {
    if (nextAccounting < 0) {
      nextAccounting = now;
    }
    if (now < nextAccounting) {
      return;
    }
    distributeCredit();
    nextAccounting = now - now % period() + period();
  }

  /** One accounting period: deal credit to the active VMs by weight, then park or unpark. */
  private void distributeCredit() {
    Map<String, Integer> activeVcpus = new LinkedHashMap<>();
    for (Map.Entry<SchedVcpu, Entry> e : members.entries()) {
      if (isActive(e.getKey(), e.getValue())) {
        activeVcpus.merge(e.getKey().vm(), 1, Integer::sum);
      }
    }
    List<CreditAccounting.Claim> claims = new ArrayList<>();
    for (Map.Entry<String, Integer> e : activeVcpus.entrySet()) {
      CreditVm params = requireVm(e.getKey());
      claims.add(new CreditAccounting.Claim(e.getKey(), params.weight, params.capPercent, e.getValue()));
    }
    Map<String, Long> perVcpu = CreditAccounting.grants(claims, period(), cpuCount());
    for (Map.Entry<SchedVcpu, Entry> e : members.entries()) {
      SchedVcpu vcpu = e.getKey();
      Entry entry = e.getValue();
      Long grant = isActive(vcpu, entry) ? perVcpu.get(vcpu.vm()) : null;
      if (grant != null) {
        entry.credit.refill(grant);
      }
      entry.burned = 0;
      reprioritise(vcpu, entry);
    }
  }

  /** Recomputes UNDER/OVER after accounting, keeping a boost, and (un)parks capped vCPUs. */
  private void reprioritise(SchedVcpu vcpu, Entry entry) {
    boolean hasCredit = entry.credit.balance() > 0;
    Priority priority = entry.priority == Priority.BOOST && hasCredit
        ? Priority.BOOST : hasCredit ? Priority.UNDER : Priority.OVER;
    boolean parked = isCapped(vcpu) && !hasCredit;
    if (priority != entry.priority || parked != entry.parked) {
      dequeue(vcpu, entry);
      entry.priority = priority;
      entry.parked = parked;
      enqueue(vcpu, entry);
    }
  }

  private boolean isActive(SchedVcpu vcpu, Entry entry) {
    VcpuState state = vcpu.state();
    return state == VcpuState.RUNNABLE || state == VcpuState.RUNNING || entry.burned > 0;
  }

  private long quantum(SchedVcpu vcpu, Entry entry) {
    long quantum = entry.priority == Priority.BOOST ? Math.max(1, slice / SLICES_PER_PERIOD) : slice;
    if (isCapped(vcpu)) {
      quantum = Math.min(quantum, Math.max(1, entry.credit.balance()));
    }
    return quantum;
  }

  private void enqueue(SchedVcpu vcpu, Entry entry) {
    if (vcpu.state() == VcpuState.RUNNABLE && !entry.queued && !entry.parked) {
      runQueue(entry.home).add(vcpu, entry.priority);
      entry.queued = true;
    }
  }

  private void dequeue(SchedVcpu vcpu, Entry entry) {
    if (entry.queued) {
      runQueue(entry.home).remove(vcpu, entry.priority);
      entry.queued = false;
    }
  }

  /** The run queue of physical CPU {@code cpu} (taken modulo the CPU count), created on first use. */
  private CreditRunQueue runQueue(int cpu) {
    return runQueues.repOf(Math.floorMod(cpu, cpuCount()));
  }

  /** A clustered object with one (lazily created) run queue per physical CPU of the pool. */
  private static ClusteredObject<CreditRunQueue> newRunQueues(int physicalCpus) {
    return new ClusteredObject<>(CoreSet.of(physicalCpus), core -> new CreditRunQueue());
  }

  /**
   * The per-physical-CPU run queues (for tests: which reps exist).
   *
   * @return the clustered object whose reps are the run queues
   */
  ClusteredObject<CreditRunQueue> runQueues() {
    return runQueues;
  }

  /** The pool's number of physical CPUs (one run queue slot each). */
  private int cpuCount() {
    return runQueues.coreSet().size();
  }

  private static int rank(@Nullable Priority priority) {
    return priority == null ? Priority.values().length : priority.ordinal();
  }

  private boolean isCapped(SchedVcpu vcpu) {
    CreditVm params = vms.get(vcpu.vm());
    return params != null && params.capPercent > 0;
  }

  private int maxCap(String vm) {
    return 100 * Math.max(1, members.vcpusOf(vm).size());
  }

  private CreditVm requireVm(String vm) {
    CreditVm params = vms.get(vm);
    if (params == null) {
      throw ParameterValues.unknownVm(NAME, vm);
    }
    return params;
  }
}
