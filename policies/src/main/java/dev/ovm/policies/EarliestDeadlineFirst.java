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

/**
 * Global earliest-deadline-first with per-vCPU budget reservations, after RT-Xen (Xi et al.,
 * EMSOFT 2011) and Xen's RTDS scheduler ({@code sched_rt.c}): every vCPU owns a budget of
 * instructions per period; its deadline is the end of the current period; at the deadline the
 * budget is replenished to the full amount and the deadline moves on by whole periods. Among the
 * runnable vCPUs with budget left, the one with the earliest deadline runs, at most until its budget
 * is gone or until the next replenishment of any vCPU (which may preempt it). A vCPU without budget
 * does not run (no extra time), so a reservation is also an upper bound. Equal deadlines go to the
 * vCPU picked least recently, so an over-utilised pool misses deadlines but starves no vCPU.
 *
 * <p>Parameters per VM, applied to all its vCPUs: {@code period} and {@code budget} in
 * instructions (defaults {@value #DEFAULT_PERIOD} and {@value #DEFAULT_BUDGET}, RTDS's 10 ms and 4
 * ms at the nominal 100 MIPS); a budget above its period is an error. Admission control (pool
 * parameter {@code admission}, 1 = on by default): a parameter change that would raise the total
 * utilisation Σ budget/period above the number of physical CPUs is refused. On one physical CPU that
 * bound is exact (Liu and Layland 1973); on several, global EDF can still miss deadlines below it
 * (Dhall's effect), which {@link #deadlineMisses()} shows. Inserting a vCPU never fails: it gets
 * its VM's reservation even if that over-utilises the pool.
 *
 * <p>Data: per vCPU period, budget, remaining budget, absolute deadline and a miss counter.
 * Complexity: O(n) per pick (a scan; RTDS keeps a sorted queue), O(1) for the other hooks.
 *
 * <p>Locking: none of its own; every hook runs with the pool's scheduling lock held ({@link
 * Scheduler} calling contract).
 */
public final class EarliestDeadlineFirst implements Scheduler {
  /** The registry name. */
  public static final String NAME = "edf";

  /** The default period, in instructions (10 ms at 100 MIPS). */
  public static final long DEFAULT_PERIOD = 1_000_000;

  /** The default budget per period, in instructions (4 ms at 100 MIPS). */
  public static final long DEFAULT_BUDGET = 400_000;

  private static final long MAX_PERIOD = 1_000_000_000_000L;
  private static final long PPM = 1_000_000;
  private static final List<String> VM_KEYS = List.of("period", "budget");
  private static final List<String> POOL_KEYS = List.of("admission");

  /** Per-vCPU reservation. A deadline below 0 means "no period started yet". */
  private static final class Entry {
    long period;
    long budget;
    long remaining;
    long deadline = -1;
    long misses;
    /** When it was last picked (a pick counter): equal deadlines go to the longest waiting. */
    long lastPicked;
  }

  /** A VM's configured reservation, given to each of its vCPUs. */
  private record VmReservation(long period, long budget) {}

  private final Members<Entry> members = new Members<>();
  private final Map<String, VmReservation> vms = new HashMap<>();
  private int physicalCpus = 1;
  private boolean admission = true;
  private long misses;
  private long picks;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void start(int physicalCpus) {
    if (physicalCpus < 1) {
      throw new IllegalArgumentException("edf needs at least one physical CPU, not " + physicalCpus);
    }
    this.physicalCpus = physicalCpus;
  }

  @Override
  public void insert(SchedVcpu vcpu) {
    VmReservation reservation = vms.computeIfAbsent(
        vcpu.vm(), vm -> new VmReservation(DEFAULT_PERIOD, DEFAULT_BUDGET));
    Entry entry = members.add(vcpu, new Entry());
    entry.period = reservation.period();
    entry.budget = reservation.budget();
    entry.remaining = reservation.budget();
  }

  @Override
  public void remove(SchedVcpu vcpu) {
    members.remove(vcpu);
    if (members.vcpusOf(vcpu.vm()).isEmpty()) {
      vms.remove(vcpu.vm());
    }
  }

  @Override
  public void wake(SchedVcpu vcpu) {
    members.get(vcpu);
  }

  @Override
  public Decision pickNext(int cpu, long now) {
    replenish(now);
    SchedVcpu best = null;
    long bestDeadline = Long.MAX_VALUE;
    long bestPicked = Long.MAX_VALUE;
    long nextRelease = Long.MAX_VALUE;
    for (Map.Entry<SchedVcpu, Entry> e : members.entries()) {
      Entry entry = e.getValue();
      nextRelease = Math.min(nextRelease, entry.deadline);
      if (e.getKey().state() == VcpuState.RUNNABLE && entry.remaining > 0
          && (entry.deadline < bestDeadline
              || entry.deadline == bestDeadline && entry.lastPicked < bestPicked)) {
        best = e.getKey();
        bestDeadline = entry.deadline;
        bestPicked = entry.lastPicked;
      }
    }
    if (best == null) {
      return Decision.IDLE;
    }
    Entry chosen = members.get(best);
    chosen.lastPicked = ++picks;
    long quantum = Math.min(chosen.remaining, nextRelease - now);
    return Decision.run(best, Math.max(1, quantum));
  }

  @Override
  public void account(SchedVcpu vcpu, int cpu, long instructions, long now) {
    Entry entry = members.get(vcpu);
    entry.remaining = Math.max(0, entry.remaining - Math.max(0, instructions));
    replenish(now);
  }

  /** Replenishes the budgets whose periods ended by {@code now}. */
  @Override
  public void tick(long now) {
    replenish(now);
  }

  /** The number of deadlines missed so far: a runnable vCPU still had budget at its deadline. */
  public long deadlineMisses() {
    return misses;
  }

  /** The deadlines {@code vcpu} missed so far. */
  public long deadlineMisses(SchedVcpu vcpu) {
    return members.get(vcpu).misses;
  }

  /** The total utilisation Σ budget/period over all vCPUs, in parts per million (rounded up). */
  public long utilisationPpm() {
    long total = 0;
    for (Map.Entry<SchedVcpu, Entry> e : members.entries()) {
      total += ppm(e.getValue().budget, e.getValue().period);
    }
    return total;
  }

  @Override
  public Map<String, String> parameters(String vm) {
    if (vm.equals(ParameterValues.POOL)) {
      return Map.of("admission", admission ? "1" : "0");
    }
    VmReservation reservation = requireVm(vm);
    return Map.of("period", Long.toString(reservation.period()),
        "budget", Long.toString(reservation.budget()));
  }

  /**
   * Sets a VM's {@code period} or {@code budget} (instructions, 1..10^12, budget at most the
   * period) for all its vCPUs, effective at once (a smaller budget also trims the remaining one), or
   * the pool's {@code admission} (0 or 1).
   *
   * @throws IllegalArgumentException also if admission is on and the change would make the total
   *     utilisation exceed the number of physical CPUs
   */
  @Override
  public void setParameter(String vm, String key, String value) {
    if (vm.equals(ParameterValues.POOL)) {
      if (!key.equals("admission")) {
        throw ParameterValues.unknownKey(NAME, key, POOL_KEYS);
      }
      admission = ParameterValues.parse(key, value, 0, 1) == 1;
      return;
    }
    VmReservation old = requireVm(vm);
    VmReservation updated = switch (key) {
      case "period" -> new VmReservation(ParameterValues.parse(key, value, 1, MAX_PERIOD), old.budget());
      case "budget" -> new VmReservation(old.period(), ParameterValues.parse(key, value, 1, MAX_PERIOD));
      default -> throw ParameterValues.unknownKey(NAME, key, VM_KEYS);
    };
    if (updated.budget() > updated.period()) {
      throw new IllegalArgumentException("budget " + updated.budget() + " of VM '" + vm
          + "' is above its period " + updated.period());
    }
    List<SchedVcpu> vcpus = members.vcpusOf(vm);
    long delta = vcpus.size() * (ppm(updated.budget(), updated.period()) - ppm(old.budget(), old.period()));
    if (admission && delta > 0 && utilisationPpm() + delta > physicalCpus * PPM) {
      throw new IllegalArgumentException("admission refused: utilisation would be "
          + (utilisationPpm() + delta) / 10_000.0 + " % of " + physicalCpus + " CPUs");
    }
    vms.put(vm, updated);
    for (SchedVcpu vcpu : vcpus) {
      Entry entry = members.get(vcpu);
      entry.period = updated.period();
      entry.budget = updated.budget();
      entry.remaining = Math.min(entry.remaining, updated.budget());
    }
  }

  @Override
  public String dump() {
    StringBuilder out = new StringBuilder(NAME).append(" utilisation=")
        .append(utilisationPpm() / 10_000.0).append("% misses=").append(misses);
    for (Map.Entry<SchedVcpu, Entry> e : members.entries()) {
      Entry entry = e.getValue();
      out.append("\n  ").append(e.getKey()).append(" period=").append(entry.period)
          .append(" budget=").append(entry.budget).append(" remaining=").append(entry.remaining)
          .append(" deadline=").append(entry.deadline).append(" misses=").append(entry.misses);
    }
    return out.toString();
  }

  @Override
  public List<StateFormat> exportFormats() {
    return List.of(StateFormat.DEADLINE, StateFormat.RUN_QUEUE);
  }

  @Override
  public List<StateFormat> importFormats() {
    return List.of(StateFormat.DEADLINE, StateFormat.RUN_QUEUE);
  }

  /**
   * Exports the vCPUs, runnable ones with budget first by deadline, and for {@link
   * StateFormat#DEADLINE} each one's reservation (a vCPU whose period has not started yet reports
   * deadline −1).
   */
  @Override
  public SchedulerState exportState(StateFormat format) {
    Imports.requireFormat(this, format, exportFormats());
    List<SchedVcpu> ready = new ArrayList<>();
    for (SchedVcpu vcpu : members.vcpus()) {
      if (vcpu.state() == VcpuState.RUNNABLE && members.get(vcpu).remaining > 0) {
        ready.add(vcpu);
      }
    }
    ready.sort(Comparator.comparingLong(vcpu -> members.get(vcpu).deadline));
    List<SchedVcpu> order = members.inQueueOrder(ready);
    if (format == StateFormat.RUN_QUEUE) {
      return new SchedulerState.RunQueue(order);
    }
    Map<String, SchedulerState.Reservation> reservations = new HashMap<>();
    for (SchedVcpu vcpu : order) {
      Entry entry = members.get(vcpu);
      reservations.put(vcpu.key(), new SchedulerState.Reservation(
          entry.period, entry.budget, entry.remaining, entry.deadline));
    }
    return new SchedulerState.Deadline(order, reservations);
  }

  /**
   * Imports a run queue (every VM gets the default reservation) or deadline state (reservations
   * kept; a VM's parameters become those of its first listed vCPU). No admission check: the vCPUs
   * exist already.
   *
   * @throws IllegalArgumentException if a reservation is inconsistent (budget above period,
   *     remaining outside 0..budget)
   */
  @Override
  public void importState(SchedulerState state) {
    Imports.requireFormat(this, state.format(), importFormats());
    Imports.requireEmpty(this, members.size());
    for (SchedVcpu vcpu : Imports.distinct(state.vcpus())) {
      insert(vcpu);
      if (state instanceof SchedulerState.Deadline deadline) {
        SchedulerState.Reservation reservation = deadline.reservations().get(vcpu.key());
        if (reservation != null) {
          adopt(vcpu, reservation);
        }
      }
    }
  }

  private void adopt(SchedVcpu vcpu, SchedulerState.Reservation reservation) {
    long period = ParameterValues.requireRange("period", reservation.period(), 1, MAX_PERIOD);
    long budget = ParameterValues.requireRange("budget", reservation.budget(), 1, period);
    Entry entry = members.get(vcpu);
    entry.period = period;
    entry.budget = budget;
    entry.remaining = ParameterValues.requireRange("remaining", reservation.remaining(), 0, budget);
    entry.deadline = reservation.deadline();
    if (members.vcpusOf(vcpu.vm()).size() == 1) {
      vms.put(vcpu.vm(), new VmReservation(period, budget));
    }
  }

  private void replenish(long now) {
    for (Map.Entry<SchedVcpu, Entry> e : members.entries()) {
      Entry entry = e.getValue();
      if (entry.deadline < 0) {
        entry.deadline = now + entry.period;
        entry.remaining = entry.budget;
      } else if (now >= entry.deadline && e.getKey().state() != VcpuState.RUNNING) {
        // A running vCPU's remaining budget is only known at its account(), which comes no later
        // than its deadline (no quantum crosses a release), so it is replenished there.
        if (entry.remaining > 0 && e.getKey().state() == VcpuState.RUNNABLE) {
          entry.misses++;
          misses++;
        }
        long periods = (now - entry.deadline) / entry.period + 1;
        entry.deadline += periods * entry.period;
        entry.remaining = entry.budget;
      }
    }
  }

  private static long ppm(long budget, long period) {
    return Math.ceilDiv(budget * PPM, period);
  }

  private VmReservation requireVm(String vm) {
    VmReservation reservation = vms.get(vm);
    if (reservation == null) {
      throw ParameterValues.unknownVm(NAME, vm);
    }
    return reservation;
  }
}
