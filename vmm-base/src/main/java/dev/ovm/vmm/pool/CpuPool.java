package dev.ovm.vmm.pool;

import dev.ovm.clustered.ClusteredCounter;
import dev.ovm.clustered.CoreSet;
import dev.ovm.vmm.Vcpu;
import dev.ovm.vmm.VcpuExit;
import dev.ovm.vmm.Vm;
import dev.ovm.vmm.sched.Decision;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.SchedulerState;
import dev.ovm.vmm.sched.StateFormat;
import dev.ovm.vmm.sched.StateNegotiation;
import dev.ovm.vmm.sched.VcpuState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A pool of physical CPUs with its own scheduler instance (as Xen's cpupools), the VMs assigned to
 * it, and the runtime side of scheduling: decisions at scheduling points, accounting, wake-ups, hot
 * swap with state transfer, and the watchdog.
 *
 * <p>The pool never trusts its policy: it checks every decision (only a runnable vCPU of this pool
 * that no other physical CPU runs), and a policy that throws, picks wrongly, or leaves a runnable
 * vCPU unscheduled beyond the watchdog limit is replaced by the pool's fallback policy, which is
 * given the complete run queue the runtime itself keeps. Every such event is recorded.
 *
 * <p>Lock order: the pool's {@code lock} is a leaf with respect to the VMM (no other pool's lock
 * is taken while it is held); it may call into a {@link Vm} only for {@link Vm#requestStop}, which
 * takes no lock of the pool. The hot path — running a vCPU inside its quantum — takes no lock.
 */
public final class CpuPool {
  private final String name;
  private final Object lock = new Object();
  private final CpuSlot[] cpus;
  private final CoreSet cores;
  /** Instructions run, instructions idle and decisions, each a per-physical-CPU clustered counter. */
  private final ClusteredCounter retired;
  private final ClusteredCounter idle;
  private final ClusteredCounter decisions;
  private final Supplier<Scheduler> fallback;
  private final long watchdogLimit;

  /*
   * Read and written only with `lock` held (every method that touches it holds the lock or is
   * @Holding("lock")). It is not annotated @GuardedBy: the Lock Checker would then require every
   * Scheduler method, in every policy, to declare a @GuardSatisfied receiver.
   */
  private Scheduler scheduler;

  /** Every vCPU of the pool, in the order it joined (iteration order is deterministic). */
  private final @GuardedBy("lock") Map<SchedVcpu, PooledVcpu> members = new LinkedHashMap<>();

  private final @GuardedBy("lock") List<String> events = new ArrayList<>();

  /** Told of every event; see {@link #setEventListener}. */
  private volatile Consumer<PoolEvent> listener = event -> {};

  /** vCPUs that left the pool, kept for the statistics report. */
  private final @GuardedBy("lock") List<PooledVcpu> departed = new ArrayList<>();

  /**
   * Creates a pool.
   *
   * @param name the pool's name
   * @param physicalCpus number of physical CPUs, at least 1
   * @param scheduler the initial policy (fresh, not yet started)
   * @param fallback makes the policy the watchdog reverts to (a simple, robust one)
   * @param watchdogLimit pool instructions a runnable vCPU may wait before the watchdog acts
   * @throws IllegalArgumentException if the policy cannot start on this pool
   */
  public CpuPool(
      String name, int physicalCpus, Scheduler scheduler, Supplier<Scheduler> fallback, long watchdogLimit) {
    if (physicalCpus < 1) {
      throw new IllegalArgumentException("a pool needs at least one physical CPU");
    }
    if (watchdogLimit < 1) {
      throw new IllegalArgumentException("watchdog limit must be positive");
    }
    this.name = name;
    this.cpus = new CpuSlot[physicalCpus];
    for (int i = 0; i < physicalCpus; i++) {
      cpus[i] = new CpuSlot(i);
    }
    this.cores = CoreSet.of(physicalCpus);
    this.retired = new ClusteredCounter(cores);
    this.idle = new ClusteredCounter(cores);
    this.decisions = new ClusteredCounter(cores);
    this.fallback = fallback;
    this.watchdogLimit = watchdogLimit;
    scheduler.start(physicalCpus);
    this.scheduler = scheduler;
  }

  /** The pool's name. */
  public String name() {
    return name;
  }

  /** Number of physical CPUs. */
  public int physicalCpus() {
    return cpus.length;
  }

  /** The current policy's name. */
  public String schedulerName() {
    synchronized (lock) {
      return scheduler.name();
    }
  }

  /**
   * Sets a policy parameter of VM {@code vm} (e.g. {@code weight=512}) after the policy validated it.
   *
   * @throws IllegalArgumentException with the policy's one-line reason; nothing changed
   */
  public void setParameter(String vm, String key, String value) {
    synchronized (lock) {
      scheduler.setParameter(vm, key, value);
    }
  }

  /**
   * Sets several policy parameters of VM {@code vm} as a set. The policy validates each on its
   * own, so one refused only because another is not applied yet (edf's period before its budget)
   * is retried until no more can be applied; what still fails then is reported.
   *
   * @throws IllegalArgumentException naming the first parameter that cannot be applied, with the
   *     policy's reason; the parameters applied before it stay applied
   */
  public void setParameters(String vm, Map<String, String> parameters) {
    synchronized (lock) {
      List<Map.Entry<String, String>> pending = new ArrayList<>(parameters.entrySet());
      while (!pending.isEmpty()) {
        List<Map.Entry<String, String>> refused = new ArrayList<>();
        IllegalArgumentException firstError = null;
        for (Map.Entry<String, String> p : pending) {
          try {
            scheduler.setParameter(vm, p.getKey(), p.getValue());
          } catch (IllegalArgumentException e) {
            refused.add(p);
            if (firstError == null) {
              firstError = e;
            }
          }
        }
        if (firstError != null && refused.size() == pending.size()) {
          Map.Entry<String, String> p = refused.get(0);
          throw new IllegalArgumentException(
              scheduler.name() + " parameter " + p.getKey() + "=" + p.getValue() + ": "
                  + firstError.getMessage(), firstError);
        }
        pending = refused;
      }
    }
  }

  /** The policy's parameters of VM {@code vm}. */
  public Map<String, String> parameters(String vm) {
    synchronized (lock) {
      return scheduler.parameters(vm);
    }
  }

  /** The policy's description of its state (for dumps). */
  public String dump() {
    synchronized (lock) {
      return scheduler.dump();
    }
  }

  /** Swap and watchdog events so far, oldest first. */
  public List<String> events() {
    synchronized (lock) {
      List<String> copy = new ArrayList<>();
      for (String event : events) {
        copy.add(event);
      }
      return copy;
    }
  }

  /**
   * Sets the listener told of every {@link PoolEvent} (swaps, refused swaps, watchdog reverts). It
   * is called with the pool's lock held, on whichever thread caused the event, so it must be quick
   * and must not call back into the pool.
   */
  public void setEventListener(Consumer<PoolEvent> listener) {
    this.listener = listener;
  }

  @Holding("lock")
  private void record(PoolEvent event) {
    events.add(event.line());
    listener.accept(event);
  }

  /** Adds every vCPU of {@code vm} to the pool, runnable (or blocked while parked). */
  public void add(Vm vm, long now) {
    synchronized (lock) {
      for (Vcpu vcpu : vm.vcpus()) {
        PooledVcpu v = new PooledVcpu(vm, vcpu);
        v.handle.setState(vcpu.parked() ? VcpuState.BLOCKED : VcpuState.RUNNABLE);
        v.runnableSince = now;
        members.put(v.handle, v);
        Scheduler s = scheduler;
        guarded(() -> s.insert(v.handle), "insert", now);
      }
    }
  }

  /**
   * Removes every vCPU of {@code vm} (it stopped, or moves to another pool). Must be called while
   * no physical CPU of this pool is inside {@link #step} (between rounds, or quiesced).
   */
  public void remove(Vm vm, long now) {
    synchronized (lock) {
      for (CpuSlot slot : cpus) {
        PooledVcpu current = slot.current;
        if (current != null && current.vm == vm) {
          slot.current = null;
          current.runningOn = -1;
        }
      }
      List<PooledVcpu> leaving = new ArrayList<>();
      for (PooledVcpu v : members.values()) {
        if (v.vm == vm) {
          leaving.add(v);
        }
      }
      for (PooledVcpu v : leaving) {
        members.remove(v.handle);
        departed.add(v);
        v.handle.setState(VcpuState.HALTED);
        Scheduler s = scheduler;
        guarded(() -> s.remove(v.handle), "remove", now);
      }
    }
  }

  /**
   * Takes every vCPU of {@code vm} off the schedule: running ones end their decision, runnable and
   * blocked ones become {@link VcpuState#PAUSED}. Call with the pool quiesced.
   */
  public void pause(Vm vm, long now) {
    synchronized (lock) {
      for (CpuSlot slot : cpus) {
        PooledVcpu current = slot.current;
        if (current != null && current.vm == vm) {
          endDecision(slot, VcpuState.PAUSED, now);
        }
      }
      for (PooledVcpu v : members.values()) {
        if (v.vm == vm && v.handle.state() != VcpuState.PAUSED) {
          v.handle.setState(VcpuState.PAUSED);
          Scheduler s = scheduler;
          guarded(() -> s.sleep(v.handle), "sleep", now);
        }
      }
    }
  }

  /** Puts every paused vCPU of {@code vm} back on the schedule as runnable. */
  public void resume(Vm vm, long now) {
    synchronized (lock) {
      for (PooledVcpu v : members.values()) {
        if (v.vm == vm && v.handle.state() == VcpuState.PAUSED) {
          v.handle.setState(VcpuState.RUNNABLE);
          v.runnableSince = now;
          Scheduler s = scheduler;
          guarded(() -> s.wake(v.handle), "wake", now);
        }
      }
    }
  }

  /**
   * One scheduling step of physical CPU {@code cpu} at pool time {@code now}: if its decision is
   * used up, account it and ask the policy for the next; then run the chosen vCPU for at most
   * {@code budget} instructions. Called only by the thread that drives {@code cpu}.
   *
   * @return instructions the vCPU retired, 0 if the CPU stayed idle
   */
  public long step(int cpu, long budget, long now) {
    CpuSlot slot = slot(cpu);
    PooledVcpu v = slot.current;
    if (v == null || slot.remaining <= 0) {
      synchronized (lock) {
        if (v != null) {
          endDecision(slot, VcpuState.RUNNABLE, now);
        }
        v = pick(slot, now);
      }
      if (v == null) {
        return 0;
      }
    }
    Vcpu vcpu = v.vcpu;
    long before = vcpu.retired();
    VcpuExit exit = vcpu.run(Math.min(budget, slot.remaining));
    long ran = vcpu.retired() - before;
    slot.remaining -= ran;
    slot.ran += ran;
    v.stats.retired += ran;
    retired.add(ran);
    if (exit instanceof VcpuExit.Fatal fatal) {
      v.vm.fail(vcpu, fatal);
      synchronized (lock) {
        endDecision(slot, VcpuState.HALTED, now + ran);
      }
    } else if (exit instanceof VcpuExit.WaitForInterrupt && !vcpu.wakeable()) {
      synchronized (lock) {
        endDecision(slot, VcpuState.BLOCKED, now + ran);
      }
    }
    return ran;
  }

  /** Records one instruction count of idling for {@code cpu}'s utilisation statistics. */
  public void idled(int cpu, long instructions) {
    idle.add(instructions);
  }

  /**
   * Asks the vCPU that physical CPU {@code cpu} is running, if any, to return from its slice at
   * once (so the CPU reaches its scheduling point promptly). Safe from any thread.
   */
  void requestExitOfRunning(int cpu) {
    PooledVcpu v = slot(cpu).current;
    if (v != null) {
      v.vcpu.requestExit();
    }
  }

  private CpuSlot slot(int cpu) {
    if (cpu < 0 || cpu >= cpus.length) {
      throw new IllegalArgumentException("pool " + name + " has no physical CPU " + cpu);
    }
    return cpus[cpu];
  }

  @Holding("lock")
  private void endDecision(CpuSlot slot, VcpuState next, long now) {
    PooledVcpu v = slot.current;
    if (v == null) {
      return;
    }
    slot.current = null;
    v.runningOn = -1;
    v.handle.setState(next);
    if (next == VcpuState.RUNNABLE) {
      v.runnableSince = now;
    }
    long ran = slot.ran;
    Scheduler s = scheduler;
    guarded(() -> s.account(v.handle, slot.index, ran, now), "account", now);
  }

  @Holding("lock")
  private @Nullable PooledVcpu pick(CpuSlot slot, long now) {
    Scheduler s = scheduler;
    Decision decision;
    try {
      decision = s.pickNext(slot.index, now);
    } catch (RuntimeException e) {
      revert("pickNext threw " + e, now);
      return null;
    }
    SchedVcpu chosen = decision.vcpu();
    if (chosen == null) {
      return null;
    }
    PooledVcpu v = members.get(chosen);
    if (v == null || v.handle.state() != VcpuState.RUNNABLE || v.runningOn >= 0) {
      revert(
          "pickNext chose "
              + chosen
              + (v == null ? ", which is not in this pool" : ", which is not runnable"),
          now);
      return null;
    }
    v.handle.setState(VcpuState.RUNNING);
    v.runningOn = slot.index;
    v.stats.switchesIn++;
    decisions.increment();
    if (v.wokenAt >= 0) {
      v.stats.recordLatency(now - v.wokenAt);
      v.wokenAt = -1;
    }
    slot.current = v;
    slot.remaining = decision.quantum();
    slot.ran = 0;
    return v;
  }

  /**
   * Wakes blocked vCPUs whose wake condition holds (an interrupt is pending, or a parked hart was
   * started) and runs the watchdog. Called between rounds, or by the VMM's housekeeping thread.
   */
  public void pollWakeups(long now) {
    synchronized (lock) {
      for (PooledVcpu v : members.values()) {
        if (v.handle.state() == VcpuState.BLOCKED && !v.vcpu.parked() && v.vcpu.wakeable()) {
          v.handle.setState(VcpuState.RUNNABLE);
          v.wokenAt = now;
          v.runnableSince = now;
          Scheduler s = scheduler;
          guarded(() -> s.wake(v.handle), "wake", now);
        }
      }
      watchdog(now);
    }
  }

  @Holding("lock")
  private void watchdog(long now) {
    if (!scheduler.workConserving()) {
      return;
    }
    for (PooledVcpu v : members.values()) {
      if (v.handle.state() == VcpuState.RUNNABLE && now - v.runnableSince > watchdogLimit) {
        revert(v.handle.key() + " was runnable but unscheduled for " + (now - v.runnableSince)
            + " instructions (limit " + watchdogLimit + ")", now);
        return;
      }
    }
  }

  /** True if some vCPU of the pool is runnable or running. */
  public boolean busy() {
    synchronized (lock) {
      for (PooledVcpu v : members.values()) {
        VcpuState state = v.handle.state();
        if (state == VcpuState.RUNNABLE || state == VcpuState.RUNNING) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Replaces the pool's policy by {@code next}, transferring state in the richest common format.
   * Must be called while no physical CPU of the pool is inside {@link #step} (between rounds, or
   * with the pool quiesced). Running decisions end first (accounted to the old policy). If {@code
   * next} cannot start or import, the old policy stays and the error is thrown.
   *
   * @return the format used
   * @throws IllegalStateException if the swap was refused; nothing changed but ended decisions
   */
  public StateFormat swap(Scheduler next, long now) {
    synchronized (lock) {
      Scheduler old = scheduler;
      StateFormat format =
          StateNegotiation.negotiate(old, next)
              .orElseThrow(() -> new IllegalStateException(
                  old.name() + " and " + next.name() + " share no state format"));
      try {
        next.start(cpus.length);
      } catch (RuntimeException e) {
        record(new PoolEvent(name, now, PoolEvent.Kind.SWAP_REFUSED, old.name(), next.name(),
            String.valueOf(e.getMessage())));
        throw new IllegalStateException("swap to " + next.name() + " refused: " + e.getMessage(), e);
      }
      for (CpuSlot slot : cpus) {
        endDecision(slot, VcpuState.RUNNABLE, now);
      }
      Map<SchedVcpu, @Nullable Object> saved = new LinkedHashMap<>();
      for (SchedVcpu v : members.keySet()) {
        saved.put(v, v.policyData());
      }
      try {
        SchedulerState state = old.exportState(format);
        checkComplete(state);
        clearPolicyData();
        next.importState(state);
      } catch (RuntimeException e) {
        // the old policy stays, with its per-vCPU data as it was
        for (Map.Entry<SchedVcpu, @Nullable Object> entry : saved.entrySet()) {
          entry.getKey().setPolicyData(entry.getValue());
        }
        record(new PoolEvent(name, now, PoolEvent.Kind.SWAP_REFUSED, old.name(), next.name(),
            String.valueOf(e.getMessage())));
        throw new IllegalStateException("swap to " + next.name() + " refused: " + e.getMessage(), e);
      }
      scheduler = next;
      record(new PoolEvent(name, now, PoolEvent.Kind.SWAPPED, old.name(), next.name(), format.toString()));
      return format;
    }
  }

  /** Every member exactly once, with the state the runtime holds for it. */
  @Holding("lock")
  private void checkComplete(SchedulerState state) {
    if (state.vcpus().size() != members.size()) {
      throw new IllegalArgumentException(
          "exported " + state.vcpus().size() + " vCPUs, the pool has " + members.size());
    }
    for (SchedVcpu v : state.vcpus()) {
      if (!members.containsKey(v)) {
        throw new IllegalArgumentException("exported unknown vCPU " + v);
      }
    }
  }

  @Holding("lock")
  private void clearPolicyData() {
    for (SchedVcpu v : members.keySet()) {
      v.setPolicyData(null);
    }
  }

  /** Replaces the policy by the fallback, fed with the run queue the runtime keeps. */
  @Holding("lock")
  private void revert(String why, long now) {
    for (CpuSlot slot : cpus) {
      PooledVcpu v = slot.current;
      if (v != null) {
        // the running vCPUs keep running; the new policy sees them as runnable at its next pick
        v.handle.setState(VcpuState.RUNNABLE);
        v.runningOn = -1;
        slot.current = null;
      }
    }
    Scheduler replacement = fallback.get();
    replacement.start(cpus.length);
    clearPolicyData();
    replacement.importState(new SchedulerState.RunQueue(List.copyOf(members.keySet())));
    record(new PoolEvent(name, now, PoolEvent.Kind.WATCHDOG_REVERT, scheduler.name(), replacement.name(), why));
    scheduler = replacement;
    for (PooledVcpu v : members.values()) {
      v.runnableSince = now;
    }
  }

  /** Runs a policy hook; a throwing policy is replaced by the fallback. */
  @Holding("lock")
  private void guarded(Runnable hook, String what, long now) {
    try {
      hook.run();
    } catch (RuntimeException e) {
      revert(what + " threw " + e, now);
    }
  }

  /**
   * A snapshot of per-vCPU statistics of the vCPUs in the pool now ({@code current}) or of every
   * vCPU that was ever in it, keyed by {@code vm/index}, in the order they left then joined.
   */
  public Map<String, VcpuReport> report(boolean includeDeparted) {
    synchronized (lock) {
      Map<String, VcpuReport> out = new LinkedHashMap<>();
      List<PooledVcpu> all = new ArrayList<>();
      if (includeDeparted) {
        for (PooledVcpu v : departed) {
          all.add(v);
        }
      }
      for (PooledVcpu v : members.values()) {
        all.add(v);
      }
      for (PooledVcpu v : all) {
        out.put(v.handle.key(), new VcpuReport(v.handle.vm(), v.handle.index(), v.stats.retired,
            v.stats.switchesIn, v.stats.latencies()));
      }
      return out;
    }
  }

  /** The cores (physical CPUs) of this pool, as the index space of its clustered objects. */
  public CoreSet cores() {
    return cores;
  }

  /**
   * Pool-wide counters, summed over the physical CPUs' clustered cells.
   *
   * @return instructions run by vCPUs, instructions of idle time, and scheduling decisions
   */
  public PoolStats stats() {
    return new PoolStats(retired.sum(), idle.sum(), decisions.sum());
  }
}
