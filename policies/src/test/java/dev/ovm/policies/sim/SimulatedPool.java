package dev.ovm.policies.sim;

import dev.ovm.policies.StateTransfer;
import dev.ovm.vmm.sched.Decision;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.StateFormat;
import dev.ovm.vmm.sched.VcpuState;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic, single-threaded stand-in for the pool runtime (a test double shipped for every
 * policy's tests, as MMTk's harness stands in for the host VM): {@code cpus} physical CPUs advance
 * in lock step, {@code step} instructions of pool time at a time, running simulated vCPUs whose
 * {@link Workload} says when they block and for how long.
 *
 * <p>It calls the hooks exactly as the {@link Scheduler} contract says (the "lock" is trivially
 * held: one thread), sets {@link SchedVcpu#state()} before reporting a change, and checks the
 * policy: {@link Scheduler#pickNext} must return a member that is {@link VcpuState#RUNNABLE} and not
 * running on another CPU. A violation throws {@link AssertionError} at once.
 *
 * <p>Each step: due wake-ups ({@code wake}), {@code tick(now)}, then an exact event loop within the
 * step: every idle CPU asks {@code pickNext(cpu, t)} in CPU order, all CPUs run until the earliest
 * quantum end or block (or the step's end), and the vCPUs stopping there are reported with {@code
 * account(vcpu, cpu, instructions of this run, t)}; repeat until the step ends. So no CPU idles
 * while a runnable vCPU waits (unless the policy says so), and virtual time never overlaps.
 */
public final class SimulatedPool {
  /** Observes every run of a vCPU within a step. */
  @FunctionalInterface
  public interface RunObserver {
    /** {@code vcpu} ran {@code instructions} on {@code cpu} in the step starting at {@code now}. */
    void ran(long now, int cpu, SchedVcpu vcpu, long instructions);
  }

  /** Simulation state of one vCPU. */
  private static final class Simulated {
    final Workload workload;
    long untilBlock;
    long wakeAt;
    long instructions;
    long lastRan = -1;

    Simulated(Workload workload) {
      this.workload = workload;
      this.untilBlock = workload.runFor();
    }
  }

  private final int cpus;
  private final long step;
  private final Map<SchedVcpu, Simulated> vcpus = new IdentityHashMap<>();
  private final List<SchedVcpu> order = new ArrayList<>();
  private final SchedVcpu[] current;
  private final long[] quantumLeft;
  private final long[] stint;
  private final List<RunObserver> observers = new ArrayList<>();
  private Scheduler scheduler;
  private long now;
  private long picks;

  /**
   * Starts {@code scheduler} on {@code cpus} physical CPUs.
   *
   * @param step the lock-step granularity in instructions; quanta are best multiples of it
   */
  public SimulatedPool(Scheduler scheduler, int cpus, long step) {
    this.scheduler = scheduler;
    this.cpus = cpus;
    this.step = step;
    this.current = new SchedVcpu[cpus];
    this.quantumLeft = new long[cpus];
    this.stint = new long[cpus];
    scheduler.start(cpus);
  }

  /** Adds a runnable vCPU {@code vm/index} with {@code workload} and inserts it. */
  public SchedVcpu add(String vm, int index, Workload workload) {
    SchedVcpu vcpu = new SchedVcpu(vm, index);
    vcpus.put(vcpu, new Simulated(workload));
    order.add(vcpu);
    scheduler.insert(vcpu);
    return vcpu;
  }

  /**
   * Adds {@code vcpu}, already in some non-running state, and inserts it; a blocked one wakes
   * {@code workload.sleepFor()} from now.
   */
  public SchedVcpu add(SchedVcpu vcpu, Workload workload) {
    Simulated sim = new Simulated(workload);
    sim.wakeAt = now + workload.sleepFor();
    vcpus.put(vcpu, sim);
    order.add(vcpu);
    scheduler.insert(vcpu);
    return vcpu;
  }

  /** Removes {@code vcpu} for good (stopping it first if it runs). */
  public void remove(SchedVcpu vcpu) {
    preempt(vcpu, VcpuState.HALTED);
    vcpu.setState(VcpuState.HALTED);
    scheduler.remove(vcpu);
    vcpus.remove(vcpu);
    order.remove(vcpu);
  }

  /** Pauses {@code vcpu} (stopping it if it runs; {@code sleep} if it was runnable or blocked). */
  public void pause(SchedVcpu vcpu) {
    if (!preempt(vcpu, VcpuState.PAUSED) && vcpu.state() != VcpuState.PAUSED) {
      vcpu.setState(VcpuState.PAUSED);
      scheduler.sleep(vcpu);
    }
  }

  /** Resumes a paused {@code vcpu}: runnable again, {@code wake}. */
  public void resume(SchedVcpu vcpu) {
    if (vcpu.state() == VcpuState.PAUSED) {
      vcpu.setState(VcpuState.RUNNABLE);
      scheduler.wake(vcpu);
    }
  }

  /** Registers an observer of every run. */
  public void observe(RunObserver observer) {
    observers.add(observer);
  }

  /** Advances pool time by at least {@code instructions} (whole steps). */
  public void run(long instructions) {
    long end = now + instructions;
    while (now < end) {
      step();
    }
  }

  /**
   * Hot-swaps to {@code next}: quiesces every CPU (running vCPUs are accounted and become
   * runnable), starts {@code next}, transfers the state and returns the format used. If start or
   * import throws, the old policy stays and the exception propagates.
   */
  public StateFormat swap(Scheduler next) {
    quiesce();
    next.start(cpus);
    StateFormat format = StateTransfer.transfer(scheduler, next);
    scheduler = next;
    return format;
  }

  /**
   * Stops every running vCPU at the current time (accounted, runnable again), as the runtime does
   * at the scheduling point before a swap; the CPUs pick again in the next step.
   */
  public void quiesce() {
    for (int cpu = 0; cpu < cpus; cpu++) {
      SchedVcpu vcpu = current[cpu];
      if (vcpu != null) {
        preempt(vcpu, VcpuState.RUNNABLE);
      }
    }
  }

  /** The current policy. */
  public Scheduler scheduler() {
    return scheduler;
  }

  /** The pool's instruction clock. */
  public long now() {
    return now;
  }

  /** The vCPUs, in the order added. */
  public List<SchedVcpu> vcpus() {
    return List.copyOf(order);
  }

  /** Instructions {@code vcpu} has run so far. */
  public long instructions(SchedVcpu vcpu) {
    return sim(vcpu).instructions;
  }

  /** The pool time of the step in which {@code vcpu} last ran, or −1. */
  public long lastRan(SchedVcpu vcpu) {
    return sim(vcpu).lastRan;
  }

  /** How many times a policy handed out a vCPU. */
  public long picks() {
    return picks;
  }

  /** The vCPU running on {@code cpu} now, or null. */
  public SchedVcpu running(int cpu) {
    return current[cpu];
  }

  private void step() {
    for (SchedVcpu vcpu : order) {
      Simulated sim = sim(vcpu);
      if (vcpu.state() == VcpuState.BLOCKED && sim.wakeAt <= now) {
        vcpu.setState(VcpuState.RUNNABLE);
        sim.untilBlock = sim.workload.runFor();
        scheduler.wake(vcpu);
      }
    }
    scheduler.tick(now);
    long end = now + step;
    long time = now;
    while (time < end) {
      for (int cpu = 0; cpu < cpus; cpu++) {
        if (current[cpu] == null) {
          dispatch(cpu, scheduler.pickNext(cpu, time));
        }
      }
      long next = end;
      for (int cpu = 0; cpu < cpus; cpu++) {
        SchedVcpu vcpu = current[cpu];
        if (vcpu != null) {
          next = Math.min(next, time + Math.min(quantumLeft[cpu], sim(vcpu).untilBlock));
        }
      }
      for (int cpu = 0; cpu < cpus; cpu++) {
        SchedVcpu vcpu = current[cpu];
        if (vcpu != null) {
          runFor(cpu, vcpu, time, next);
        }
      }
      time = next;
    }
    now = end;
  }

  private void dispatch(int cpu, Decision decision) {
    SchedVcpu vcpu = decision.vcpu();
    if (vcpu == null) {
      return;
    }
    if (!vcpus.containsKey(vcpu)) {
      throw new AssertionError(scheduler.name() + " picked " + vcpu + ", not in the pool");
    }
    for (int other = 0; other < cpus; other++) {
      if (current[other] == vcpu) {
        throw new AssertionError(scheduler.name() + " picked " + vcpu + " for CPU " + cpu
            + " while it runs on CPU " + other);
      }
    }
    if (vcpu.state() != VcpuState.RUNNABLE) {
      throw new AssertionError(scheduler.name() + " picked " + vcpu + ", which is not runnable");
    }
    vcpu.setState(VcpuState.RUNNING);
    current[cpu] = vcpu;
    quantumLeft[cpu] = decision.quantum();
    stint[cpu] = 0;
    picks++;
  }

  /** Runs {@code vcpu} on {@code cpu} from {@code from} to {@code to}, stopping it if due. */
  private void runFor(int cpu, SchedVcpu vcpu, long from, long to) {
    Simulated sim = sim(vcpu);
    long ran = to - from;
    sim.instructions += ran;
    sim.lastRan = from;
    if (sim.workload.blocks()) {
      sim.untilBlock -= ran;
    }
    quantumLeft[cpu] -= ran;
    stint[cpu] += ran;
    for (RunObserver observer : observers) {
      observer.ran(from, cpu, vcpu, ran);
    }
    if (sim.untilBlock == 0) {
      sim.wakeAt = to + sim.workload.sleepFor();
      stop(cpu, vcpu, VcpuState.BLOCKED, to);
    } else if (quantumLeft[cpu] == 0) {
      stop(cpu, vcpu, VcpuState.RUNNABLE, to);
    }
  }

  /** Stops {@code vcpu} if it runs, reporting it in {@code state}; true if it was running. */
  private boolean preempt(SchedVcpu vcpu, VcpuState state) {
    for (int cpu = 0; cpu < cpus; cpu++) {
      if (current[cpu] == vcpu) {
        stop(cpu, vcpu, state, now);
        return true;
      }
    }
    return false;
  }

  private void stop(int cpu, SchedVcpu vcpu, VcpuState state, long at) {
    current[cpu] = null;
    vcpu.setState(state);
    scheduler.account(vcpu, cpu, stint[cpu], at);
  }

  private Simulated sim(SchedVcpu vcpu) {
    Simulated sim = vcpus.get(vcpu);
    if (sim == null) {
      throw new IllegalArgumentException(vcpu + " is not in the simulated pool");
    }
    return sim;
  }
}
