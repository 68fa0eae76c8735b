package dev.ovm.vmm;

import dev.ovm.vmm.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A guest virtual machine: its vCPUs, its clock and its board's timers, and the lifecycle
 * {@link VmState#CREATED} → {@link VmState#RUNNING} → {@link VmState#STOPPED}.
 *
 * <p>A {@link Vmm} runs the VM's vCPUs on its pools of physical CPUs until something stops the VM:
 * the guest powers off (a device calls {@link #requestStop(StopReason)}), a guard runs out, the
 * user quits, or the guest fails ({@link #fail}). A failing guest ends only its own VM. Lifecycle
 * events are logged by the {@code aspects} module, not here.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class Vm {
  private final String name;
  private final List<Vcpu> vcpus;
  private final Clock clock;
  private final Platform platform;
  private final AtomicReference<VmState> state = new AtomicReference<>(VmState.CREATED);
  private final AtomicReference<@Nullable StopReason> stopRequest = new AtomicReference<>();

  /**
   * Creates a VM in state {@link VmState#CREATED}.
   *
   * @param name a short name for logs and statistics
   * @param vcpus the harts, at least one, index = hart id
   * @param clock the VM's time source, shared with its board
   * @param platform the board's clock-driven timers
   */
  public Vm(String name, List<Vcpu> vcpus, Clock clock, Platform platform) {
    if (vcpus.isEmpty()) {
      throw new IllegalArgumentException("a VM needs at least one vCPU");
    }
    this.name = name;
    this.vcpus = List.copyOf(vcpus);
    this.clock = clock;
    this.platform = platform;
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

  /**
   * Marks the VM paused; the {@link Vmm} takes its vCPUs off the physical CPUs.
   *
   * @throws IllegalStateException unless it is running
   */
  void markPaused() {
    if (!state.compareAndSet(VmState.RUNNING, VmState.PAUSED)) {
      throw new IllegalStateException("VM " + name + " is " + state.get() + ", not running");
    }
  }

  /**
   * Marks a paused VM running again.
   *
   * @throws IllegalStateException unless it is paused
   */
  void markResumed() {
    if (!state.compareAndSet(VmState.PAUSED, VmState.RUNNING)) {
      throw new IllegalStateException("VM " + name + " is " + state.get() + ", not paused");
    }
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

  /** Lifecycle join point: the VM began executing (advised by the logging aspect). */
  void started() {}

  /** Lifecycle join point: the VM stopped for {@code reason} (advised by the logging aspect). */
  void stopped(StopReason reason) {}

  /** Lifecycle join point: a vCPU reached a state it cannot leave (advised by the logging aspect). */
  void unhandledTrap(Vcpu vcpu, VcpuExit.Fatal fatal) {}
}
