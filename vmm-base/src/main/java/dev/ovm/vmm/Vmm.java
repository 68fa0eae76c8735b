package dev.ovm.vmm;

import dev.ovm.vmm.pool.CpuPool;
import dev.ovm.vmm.pool.PhysicalCpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The virtual machine monitor: any number of VMs on pools of physical CPUs, one clock for all of
 * them, and the loop that drives the physical CPUs.
 *
 * <p><b>Deterministic execution.</b> {@link #run} drives every physical CPU of every pool from the
 * calling thread in lock-step rounds of {@code quantum} instructions: in each round each physical
 * CPU takes one scheduling step (in pool order, then CPU order), then guest time advances by one
 * round, device timers are polled and blocked vCPUs whose interrupt arrived are woken. Nothing in
 * a round depends on host timing, so the same VMs, inputs and policies give the same schedule,
 * guest output and statistics on every run. When every physical CPU is idle, time jumps to the next
 * timer deadline.
 *
 * <p><b>Realtime execution</b> (a host clock): every physical CPU is a host platform thread
 * ({@link PhysicalCpu}) running its pool's steps in parallel, and the calling thread does the
 * housekeeping. Guest time follows the host clock; runs are not reproducible.
 *
 * <p><b>Operations</b> that change the set of VMs or a pool's policy (hot swap, moving a VM) are
 * queued with {@link #submit} from any thread and applied between rounds, when no physical CPU is
 * inside a step: that is the quiescent point at which K42 swaps components.
 *
 * <p>Thread safety: {@link #submit}, {@link #kick} and the VMs' {@link Vm#requestStop} may be
 * called from any thread; everything else from the thread that calls {@link #run}.
 */
public final class Vmm {
  private static final long MAX_IDLE_WAIT_NANOS = 10_000_000L;

  private final Clock clock;
  private final long instructionsPerTick;
  private final List<CpuPool> pools = new ArrayList<>();
  private final Map<Vm, CpuPool> placement = new LinkedHashMap<>();
  private final Map<Vm, StopReason> stopped = new LinkedHashMap<>();
  private final ConcurrentLinkedQueue<Consumer<Vmm>> operations = new ConcurrentLinkedQueue<>();
  private final Object idleMonitor = new Object();
  private final List<RoundListener> listeners = new ArrayList<>();
  private final List<Consumer<VmmEvent>> eventListeners = new CopyOnWriteArrayList<>();
  private final Map<CpuPool, List<PhysicalCpu>> threads = new LinkedHashMap<>();
  private boolean asyncInput;
  /** Pool time: instructions of one physical CPU since the VMM started. */
  private long now;

  /** Called after every round, on the run thread (tests and experiment scripts). */
  @FunctionalInterface
  public interface RoundListener {
    /** The round that ended at pool time {@code now}. */
    void roundEnded(Vmm vmm, long now);
  }

  /**
   * Creates a VMM.
   *
   * @param clock the clock every VM of this VMM shares (advanced by this VMM in deterministic mode)
   * @param instructionsPerTick pool instructions per clock tick (10: a nominal 100 MIPS CPU)
   */
  public Vmm(Clock clock, long instructionsPerTick) {
    if (instructionsPerTick < 1) {
      throw new IllegalArgumentException("instructionsPerTick must be >= 1");
    }
    this.clock = clock;
    this.instructionsPerTick = instructionsPerTick;
  }

  /** The shared clock. */
  public Clock clock() {
    return clock;
  }

  /** Pool time in instructions (one physical CPU's worth) since the start. */
  public long now() {
    return now;
  }

  /**
   * Creates a pool of {@code physicalCpus} CPUs scheduled by {@code scheduler}.
   *
   * @param fallback the policy the watchdog reverts to
   * @param watchdogLimit instructions a runnable vCPU may wait unscheduled
   */
  public CpuPool createPool(
      String name, int physicalCpus, Scheduler scheduler, java.util.function.Supplier<Scheduler> fallback,
      long watchdogLimit) {
    for (CpuPool pool : pools) {
      if (pool.name().equals(name)) {
        throw new IllegalArgumentException("a pool named " + name + " exists already");
      }
    }
    CpuPool pool = new CpuPool(name, physicalCpus, scheduler, fallback, watchdogLimit);
    pool.setEventListener(event -> publish(new VmmEvent.Pool(event)));
    pools.add(pool);
    return pool;
  }

  /** The pools, in creation order. */
  public List<CpuPool> pools() {
    return List.copyOf(pools);
  }

  /**
   * The number of physical CPUs over all pools: the VMM indices are {@code 0 ..} this {@code - 1}
   * (DESIGN-NOTES 8), which sizes VMM-wide clustered objects such as the frame allocator.
   */
  public int physicalCpus() {
    int count = 0;
    for (CpuPool pool : pools) {
      count += pool.physicalCpus();
    }
    return count;
  }

  /** The pool named {@code name}. */
  public CpuPool pool(String name) {
    for (CpuPool pool : pools) {
      if (pool.name().equals(name)) {
        return pool;
      }
    }
    throw new IllegalArgumentException("no pool named " + name);
  }

  /** Adds {@code vm} to {@code pool}; it starts running at the next round. */
  public void addVm(Vm vm, CpuPool pool) {
    if (placement.containsKey(vm) || stopped.containsKey(vm)) {
      throw new IllegalArgumentException("VM " + vm.name() + " was added already");
    }
    for (Vm other : placement.keySet()) {
      if (other.name().equals(vm.name())) {
        throw new IllegalArgumentException("a VM named " + vm.name() + " exists already");
      }
    }
    vm.start();
    placement.put(vm, pool);
    pool.add(vm, now);
  }

  /** The running VMs and their pools. */
  public Map<Vm, CpuPool> placement() {
    return Map.copyOf(placement);
  }

  /** The VMs that ended, with why, in the order they ended. */
  public Map<Vm, StopReason> stopped() {
    return new LinkedHashMap<>(stopped);
  }

  /** Moves a running VM to another pool (applied between rounds). */
  public void moveVm(Vm vm, CpuPool to) {
    CpuPool from = placement.get(vm);
    if (from == null) {
      throw new IllegalArgumentException("VM " + vm.name() + " is not running");
    }
    if (from != to) {
      quiesced(from, () -> from.remove(vm, now));
      placement.put(vm, to);
      to.add(vm, now);
      publish(new VmmEvent.VmMoved(vm.name(), from.name(), to.name()));
    }
  }

  /**
   * The outcome of a hot swap.
   *
   * @param format the state format transferred
   * @param pauseNanos how long the pool's physical CPUs were held (0 in deterministic mode, where
   *     the swap happens between rounds)
   */
  public record SwapResult(dev.ovm.vmm.sched.StateFormat format, long pauseNanos) {}

  /**
   * Replaces {@code pool}'s policy by {@code next} with state transfer; call it from an operation
   * ({@link #submit}) or while the VMM does not run.
   *
   * @throws IllegalStateException if the swap was refused (the old policy stays)
   */
  public SwapResult swap(CpuPool pool, Scheduler next) {
    dev.ovm.vmm.sched.StateFormat[] format = new dev.ovm.vmm.sched.StateFormat[1];
    long pause = quiesced(pool, () -> format[0] = pool.swap(next, now));
    return new SwapResult(java.util.Objects.requireNonNull(format[0]), pause);
  }

  /**
   * Pauses a running VM: its vCPUs leave the physical CPUs and keep their state; guest time goes on
   * (as for a paused QEMU guest). Call from an operation ({@link #submit}) or while not running.
   *
   * @throws IllegalStateException unless the VM is running
   */
  public void pause(Vm vm) {
    CpuPool pool = requirePool(vm);
    vm.markPaused();
    quiesced(pool, () -> pool.pause(vm, now));
    publish(new VmmEvent.VmPaused(vm.name()));
  }

  /**
   * Resumes a paused VM.
   *
   * @throws IllegalStateException unless the VM is paused
   */
  public void resume(Vm vm) {
    CpuPool pool = requirePool(vm);
    vm.markResumed();
    pool.resume(vm, now);
    publish(new VmmEvent.VmResumed(vm.name()));
  }

  /**
   * Resets a running or paused VM: with its pool's physical CPUs held at a scheduling point, its
   * vCPUs leave the physical CPUs, {@code resetMachine} returns the machine (harts, devices, RAM,
   * boot images) to its just-created state, and the vCPUs become runnable again — unless the VM
   * was paused, in which case it stays paused. The vCPUs stay members of their pool under its
   * current policy with their policy parameters; other VMs are not disturbed beyond the hold. Call
   * from an operation ({@link #submit}) or while not running.
   *
   * @param resetMachine resets the machine behind the VM; runs while none of its vCPUs runs. If it
   *     throws, the exception propagates and the VM is scheduled again as it was (a reset that
   *     refuses before changing anything leaves the VM as it was)
   * @throws IllegalArgumentException if the VM is not running in this VMM
   */
  public void reset(Vm vm, Runnable resetMachine) {
    CpuPool pool = requirePool(vm);
    quiesced(pool, () -> {
      pool.pause(vm, now);
      try {
        resetMachine.run();
      } finally {
        if (vm.state() == VmState.RUNNING) {
          pool.resume(vm, now);
        }
      }
    });
    publish(new VmmEvent.VmReset(vm.name()));
  }

  /**
   * Destroys a VM: it stops with {@link StopReason.Kind#USER} at the next round and leaves its pool.
   */
  public void destroy(Vm vm) {
    requirePool(vm);
    vm.requestStop(new StopReason(StopReason.Kind.USER, 0, "destroyed by the operator"));
  }

  private CpuPool requirePool(Vm vm) {
    CpuPool pool = placement.get(vm);
    if (pool == null) {
      throw new IllegalArgumentException("VM " + vm.name() + " is not running in this VMM");
    }
    return pool;
  }

  /** Queues an operation to apply between rounds (swap, move, add). Thread-safe. */
  public void submit(Consumer<Vmm> operation) {
    operations.add(operation);
    kick();
  }

  /** Says whether input from outside (a console) may wake a VM at any time. */
  public void setAsyncInput(boolean asyncInput) {
    this.asyncInput = asyncInput;
  }

  /** Adds a listener called after every round. */
  public void addRoundListener(RoundListener listener) {
    listeners.add(listener);
  }

  /**
   * Adds a listener told of every {@link VmmEvent}. Thread-safe. Listeners are called on the
   * thread that caused the event (the run thread, or a physical CPU thread for a watchdog revert,
   * sometimes with a pool's lock held), so they must be quick, must not block and must not call
   * back into the VMM; a listener that throws is ignored for that event.
   */
  public void addEventListener(Consumer<VmmEvent> listener) {
    eventListeners.add(listener);
  }

  /** Removes a listener added with {@link #addEventListener}. Thread-safe. */
  public void removeEventListener(Consumer<VmmEvent> listener) {
    eventListeners.remove(listener);
  }

  private void publish(VmmEvent event) {
    for (Consumer<VmmEvent> listener : eventListeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        // a front end's listener must not take down the VMM; it misses this event
      }
    }
  }

  /** Wakes the run loop if it waits because every physical CPU is idle. Thread-safe. */
  public void kick() {
    synchronized (idleMonitor) {
      idleMonitor.notifyAll();
    }
  }

  /** Instructions retired by all VMs, running or stopped. */
  public long retired() {
    long sum = 0;
    for (Vm vm : placement.keySet()) {
      sum += vm.retired();
    }
    for (Vm vm : stopped.keySet()) {
      sum += vm.retired();
    }
    return sum;
  }

  /**
   * Runs until every VM has stopped (or a limit ends them all) and returns why each stopped.
   *
   * @param limits the instruction budget (all VMs together), the wall-clock timeout and the round
   *     length ({@link RunLimits#quantum()} instructions per physical CPU)
   */
  public Map<Vm, StopReason> run(RunLimits limits) {
    return clock.deterministic() ? runDeterministic(limits) : runThreaded(limits);
  }

  private Map<Vm, StopReason> runDeterministic(RunLimits limits) {
    long deadlineNanos =
        limits.timeout().isZero() ? Long.MAX_VALUE : System.nanoTime() + limits.timeout().toNanos();
    long round = limits.quantum();
    while (true) {
      applyOperations();
      reapStoppedVms();
      if (placement.isEmpty()) {
        return stopped();
      }
      if (limitReached(limits, deadlineNanos)) {
        continue;
      }
      long budget = Math.min(round, limits.maxInstructions() - retired());
      boolean anyRan = runRound(budget);
      now += round;
      clock.retired(round);
      pollDevices();
      for (RoundListener listener : listeners) {
        listener.roundEnded(this, now);
      }
      if (!anyRan && !anyRunnable()) {
        idle(deadlineNanos);
      }
    }
  }

  private boolean runRound(long budget) {
    boolean anyRan = false;
    for (CpuPool pool : pools) {
      for (int cpu = 0; cpu < pool.physicalCpus(); cpu++) {
        long ran = pool.step(cpu, budget, now);
        if (ran == 0) {
          pool.idled(cpu, budget);
        }
        anyRan |= ran > 0;
      }
    }
    return anyRan;
  }

  private void pollDevices() {
    for (Vm vm : placement.keySet()) {
      vm.platform().poll();
    }
    for (CpuPool pool : pools) {
      pool.pollWakeups(now);
    }
  }

  private boolean anyRunnable() {
    for (CpuPool pool : pools) {
      if (pool.busy()) {
        return true;
      }
    }
    return false;
  }

  /** Every vCPU of every running VM sleeps: jump or wait to the next event. */
  private void idle(long deadlineNanos) {
    long next = Long.MAX_VALUE;
    for (Vm vm : placement.keySet()) {
      next = Math.min(next, vm.platform().nextDeadline());
    }
    if (next == Long.MAX_VALUE && !asyncInput && operations.isEmpty()) {
      stopAll(DEADLOCK);
      return;
    }
    long before = clock.now();
    if (next != Long.MAX_VALUE && clock.idleUntil(next)) {
      now += Math.max(0, clock.now() - before) * instructionsPerTick;
      pollDevices();
      return;
    }
    long waitNanos = Math.min(MAX_IDLE_WAIT_NANOS, Math.max(0, deadlineNanos - System.nanoTime()));
    if (next != Long.MAX_VALUE) {
      long ticks = Math.max(0, next - clock.now());
      waitNanos = Math.min(waitNanos, ticks * (1_000_000_000L / Clock.TIMEBASE_HZ));
    }
    if (waitNanos > 0) {
      synchronized (idleMonitor) {
        try {
          TimeUnit.NANOSECONDS.timedWait(idleMonitor, waitNanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopAll(new StopReason(StopReason.Kind.USER, 130, "interrupted"));
        }
      }
    }
    now += Math.max(0, clock.now() - before) * instructionsPerTick;
    pollDevices();
  }

  private void applyOperations() {
    Consumer<Vmm> op;
    while ((op = operations.poll()) != null) {
      op.accept(this);
    }
  }

  private void reapStoppedVms() {
    List<Vm> ended = new ArrayList<>();
    for (Vm vm : placement.keySet()) {
      if (vm.stopRequest() != null) {
        ended.add(vm);
      }
    }
    for (Vm vm : ended) {
      CpuPool pool = placement.remove(vm);
      if (pool != null) {
        quiesced(pool, () -> pool.remove(vm, now));
      }
      StopReason reason = vm.markStopped();
      stopped.put(vm, reason);
      publish(new VmmEvent.VmStopped(vm.name(), reason));
    }
  }

  /**
   * Stops every VM if the wall-clock timeout or the instruction budget (all VMs together) is used
   * up; returns true if it did.
   */
  private boolean limitReached(RunLimits limits, long deadlineNanos) {
    if (System.nanoTime() - deadlineNanos >= 0) {
      stopAll(new StopReason(StopReason.Kind.TIMEOUT, 124,
          "wall-clock timeout of " + limits.timeout() + " reached"));
      return true;
    }
    if (retired() >= limits.maxInstructions()) {
      stopAll(new StopReason(StopReason.Kind.INSTRUCTION_LIMIT, 125,
          "instruction limit of " + limits.maxInstructions() + " reached"));
      return true;
    }
    return false;
  }

  private static final StopReason DEADLOCK =
      new StopReason(StopReason.Kind.DEADLOCK, 4, "every vCPU waits for an interrupt and none can arrive");

  private void stopAll(StopReason reason) {
    for (Vm vm : placement.keySet()) {
      vm.requestStop(reason);
    }
  }

  /**
   * Realtime mode: one host platform thread per physical CPU runs the pool's steps in parallel;
   * this thread does the housekeeping — device timers, wake-ups, the watchdog, queued operations
   * and stopped VMs (each applied with the affected pool's CPUs held at a scheduling point) — every
   * {@value #HOUSEKEEPING_NANOS} ns.
   */
  private Map<Vm, StopReason> runThreaded(RunLimits limits) {
    long deadlineNanos =
        limits.timeout().isZero() ? Long.MAX_VALUE : System.nanoTime() + limits.timeout().toNanos();
    int vmmIndex = 0;
    for (CpuPool pool : pools) {
      List<PhysicalCpu> list = new ArrayList<>();
      for (int cpu = 0; cpu < pool.physicalCpus(); cpu++) {
        // two indices (DESIGN-NOTES 8): the pool-local one indexes the pool's clustered objects,
        // the VMM-wide one the objects every pool shares (the machine frame allocator)
        list.add(new PhysicalCpu(pool, cpu, cpu, vmmIndex++, limits.quantum(), this::realtimeNow));
      }
      threads.put(pool, list);
    }
    threads.values().forEach(list -> list.forEach(PhysicalCpu::start));
    try {
      while (true) {
        now = realtimeNow();
        applyOperations();
        reapStoppedVms();
        if (placement.isEmpty()) {
          return stopped();
        }
        limitReached(limits, deadlineNanos);
        pollDevices();
        for (Map.Entry<CpuPool, List<PhysicalCpu>> entry : threads.entrySet()) {
          if (entry.getKey().busy()) {
            entry.getValue().forEach(PhysicalCpu::kick);
          }
        }
        for (RoundListener listener : listeners) {
          listener.roundEnded(this, now);
        }
        if (!anyRunnable() && !hasTimers() && !asyncInput && operations.isEmpty()) {
          // every vCPU sleeps now, but one may have woken another (an IPI) after the poll above
          // and then gone to sleep itself: poll again, now that nothing runs, before giving up
          pollDevices();
          if (!anyRunnable()) {
            stopAll(DEADLOCK);
          }
        }
        synchronized (idleMonitor) {
          try {
            TimeUnit.NANOSECONDS.timedWait(idleMonitor, HOUSEKEEPING_NANOS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopAll(new StopReason(StopReason.Kind.USER, 130, "interrupted"));
          }
        }
      }
    } finally {
      for (List<PhysicalCpu> list : threads.values()) {
        for (PhysicalCpu cpu : list) {
          try {
            cpu.stop();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
      threads.clear();
    }
  }

  private static final long HOUSEKEEPING_NANOS = 200_000;


  private long realtimeNow() {
    return clock.now() * instructionsPerTick;
  }

  private boolean hasTimers() {
    for (Vm vm : placement.keySet()) {
      if (vm.platform().nextDeadline() != Long.MAX_VALUE) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs {@code action} with every physical CPU of {@code pool} held at a scheduling point (in
   * realtime mode; in deterministic mode operations already run between rounds).
   *
   * @return how long the CPUs were held, in nanoseconds (0 in deterministic mode)
   */
  public long quiesced(CpuPool pool, Runnable action) {
    List<PhysicalCpu> cpus = threads.get(pool);
    if (cpus == null) {
      action.run();
      return 0;
    }
    long start = System.nanoTime();
    Thread self = Thread.currentThread();
    for (PhysicalCpu cpu : cpus) {
      cpu.hold(self);
    }
    for (PhysicalCpu cpu : cpus) {
      // park rather than spin: on a small host the CPU threads need the core to get there; each
      // one unparks this thread when it stops (the timeout only guards a lost wake-up)
      while (!cpu.held()) {
        LockSupport.parkNanos(this, 50_000);
      }
    }
    try {
      action.run();
    } finally {
      cpus.forEach(PhysicalCpu::release);
    }
    return System.nanoTime() - start;
  }
}
