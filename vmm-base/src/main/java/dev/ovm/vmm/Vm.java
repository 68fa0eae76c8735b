package dev.ovm.vmm;

import dev.ovm.vmm.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A guest virtual machine: its vCPUs, its clock and its board's timers, and the lifecycle
 * {@link VmState#CREATED} → {@link VmState#RUNNING} → {@link VmState#STOPPED}.
 *
 * <p>{@link #run(RunLimits)} executes the vCPUs in turn on the calling thread, a quantum at a
 * time, until something stops the VM: the guest powers off (a device calls {@link
 * #requestStop(StopReason)}), a guard runs out, or the guest fails. A failing guest ends only its
 * own VM. Lifecycle events are logged by the {@code aspects} module, not here.
 *
 * <p>Thread safety: {@link #requestStop}, {@link #kick} and {@link #state} may be called from any
 * thread (device I/O threads, the console); {@link #run} from one thread at a time.
 */
public final class Vm {
  private static final long MAX_IDLE_WAIT_NANOS = 10_000_000L;
  private final String name;
  private final List<Vcpu> vcpus;
  private final Clock clock;
  private final Platform platform;
  private final boolean asyncInput;
  private final AtomicReference<VmState> state = new AtomicReference<>(VmState.CREATED);
  private final AtomicReference<@Nullable StopReason> stopRequest = new AtomicReference<>();
  /** Monitor the idle loop waits on; {@link #kick()} and {@link #requestStop} notify it. */
  private final Object idleMonitor = new Object();

  /**
   * Creates a VM in state {@link VmState#CREATED}.
   *
   * @param name a short name for logs and statistics
   * @param vcpus the harts, at least one, index = hart id
   * @param clock the VM's time source, shared with its board
   * @param platform the board's clock-driven timers
   * @param asyncInput true if something outside the guest (a console reader) can raise an
   *     interrupt at any time; without it, a VM whose vCPUs all sleep with no timer armed stops as
   *     deadlocked instead of waiting forever
   */
  public Vm(String name, List<Vcpu> vcpus, Clock clock, Platform platform, boolean asyncInput) {
    if (vcpus.isEmpty()) {
      throw new IllegalArgumentException("a VM needs at least one vCPU");
    }
    this.name = name;
    this.vcpus = List.copyOf(vcpus);
    this.clock = clock;
    this.platform = platform;
    this.asyncInput = asyncInput;
  }

  /** The VM's name. */
  public String name() {
    return name;
  }

  /** The VM's vCPUs, index = hart id. */
  public List<Vcpu> vcpus() {
    return vcpus;
  }

  /** The VM's clock. */
  public Clock clock() {
    return clock;
  }

  /** The board's clock-driven timers. */
  public Platform platform() {
    return platform;
  }

  /** The stop requested so far, or null while the VM may run on. */
  public @Nullable StopReason stopRequest() {
    return stopRequest.get();
  }

  /**
   * Moves the VM from {@link VmState#CREATED} to {@link VmState#RUNNING}; called by the {@link
   * Vmm} that will run it.
   *
   * @throws IllegalStateException if the VM was already started
   */
  public void start() {
    if (!state.compareAndSet(VmState.CREATED, VmState.RUNNING)) {
      throw new IllegalStateException("VM " + name + " was already started");
    }
    started();
  }

  /**
   * Marks a VM whose stop was requested as {@link VmState#STOPPED}; called by the {@link Vmm} once
   * none of its vCPUs runs any more.
   *
   * @return the reason it stopped
   * @throws IllegalStateException if no stop was requested
   */
  public StopReason markStopped() {
    StopReason reason = stopRequest.get();
    if (reason == null) {
      throw new IllegalStateException("VM " + name + " has not been asked to stop");
    }
    if (state.getAndSet(VmState.STOPPED) != VmState.STOPPED) {
      stopped(reason);
    }
    return reason;
  }

  /** The current lifecycle state. */
  public VmState state() {
    return state.get();
  }

  /** Instructions retired by all vCPUs together. */
  public long retired() {
    long sum = 0;
    for (Vcpu vcpu : vcpus) {
      sum += vcpu.retired();
    }
    return sum;
  }

  /**
   * Asks the VM to stop with {@code reason}. The first request wins; later ones are ignored. The
   * running vCPU returns at its next check point and {@link #run} returns the reason.
   */
  public void requestStop(StopReason reason) {
    if (stopRequest.compareAndSet(null, reason)) {
      for (Vcpu vcpu : vcpus) {
        vcpu.requestExit();
      }
      kick();
    }
  }

  /**
   * Ends the VM because {@code vcpu} reached a state it cannot leave: records the event and
   * requests a stop with {@link StopReason.Kind#GUEST_FAILURE} (exit status 3). Other VMs are not
   * affected.
   */
  public void fail(Vcpu vcpu, VcpuExit.Fatal fatal) {
    unhandledTrap(vcpu, fatal);
    requestStop(new StopReason(StopReason.Kind.GUEST_FAILURE, 3, fatal.reason()));
  }

  /** Wakes the run loop if it sleeps because every vCPU is idle (an interrupt may be pending). */
  public void kick() {
    synchronized (idleMonitor) {
      idleMonitor.notifyAll();
    }
  }

  /**
   * Runs the VM until it stops and returns why. May be called once.
   *
   * @throws IllegalStateException if the VM was already started
   */
  public StopReason run(RunLimits limits) {
    if (!state.compareAndSet(VmState.CREATED, VmState.RUNNING)) {
      throw new IllegalStateException("VM " + name + " was already started");
    }
    started();
    StopReason reason = loop(limits);
    state.set(VmState.STOPPED);
    stopped(reason);
    return reason;
  }

  /** Lifecycle join point: the VM began executing (advised by the logging aspect). */
  void started() {}

  /** Lifecycle join point: the VM stopped for {@code reason} (advised by the logging aspect). */
  void stopped(StopReason reason) {}

  /** Lifecycle join point: a vCPU reached a state it cannot leave (advised by the logging aspect). */
  void unhandledTrap(Vcpu vcpu, VcpuExit.Fatal fatal) {}

  private StopReason loop(RunLimits limits) {
    long deadlineNanos =
        limits.timeout().isZero() ? Long.MAX_VALUE : System.nanoTime() + limits.timeout().toNanos();
    boolean[] idle = new boolean[vcpus.size()];
    while (true) {
      StopReason requested = stopRequest.get();
      if (requested != null) {
        return requested;
      }
      if (System.nanoTime() - deadlineNanos >= 0) {
        return new StopReason(
            StopReason.Kind.TIMEOUT, 124, "wall-clock timeout of " + limits.timeout() + " reached");
      }
      boolean anyRan = false;
      for (int i = 0; i < idle.length; i++) {
        Vcpu vcpu = vcpus.get(i);
        platform.poll();
        if (vcpu.parked() || (idle[i] && !vcpu.wakeable())) {
          continue;
        }
        idle[i] = false;
        long budget = Math.min(limits.quantum(), limits.maxInstructions() - retired());
        if (budget <= 0) {
          return new StopReason(
              StopReason.Kind.INSTRUCTION_LIMIT,
              125,
              "instruction limit of " + limits.maxInstructions() + " reached");
        }
        long before = vcpu.retired();
        VcpuExit exit = vcpu.run(budget);
        clock.retired(vcpu.retired() - before);
        anyRan = true;
        if (exit instanceof VcpuExit.WaitForInterrupt) {
          idle[i] = true;
        } else if (exit instanceof VcpuExit.Fatal fatal) {
          fail(vcpu, fatal);
        }
      }
      if (!anyRan && stopRequest.get() == null) {
        // a device polled above may have asked to stop (e.g. HTIF exit, then WFI): that wins
        StopReason deadlock = waitForEvent(deadlineNanos);
        if (deadlock != null) {
          return deadlock;
        }
      }
    }
  }

  /** Every vCPU sleeps: advance or wait until a timer fires or something kicks the VM. */
  private @Nullable StopReason waitForEvent(long deadlineNanos) {
    long next = platform.nextDeadline();
    if (next == Long.MAX_VALUE && !asyncInput) {
      return new StopReason(
          StopReason.Kind.DEADLOCK, 4, "every vCPU waits for an interrupt and none can arrive");
    }
    if (next != Long.MAX_VALUE && clock.idleUntil(next)) {
      return null;
    }
    // Bounded so that a wake-up racing with the check above is noticed within 10 ms.
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
          return new StopReason(StopReason.Kind.USER, 130, "interrupted");
        }
      }
    }
    return null;
  }
}
