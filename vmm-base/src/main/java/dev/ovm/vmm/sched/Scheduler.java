package dev.ovm.vmm.sched;

import java.util.List;
import java.util.Map;

/**
 * A vCPU scheduling policy: one instance per CPU pool, registered under a short name. The hooks
 * follow Xen's {@code struct scheduler} and Linux's {@code sched_ext_ops}; optional hooks have
 * defaults.
 *
 * <p><b>Calling contract.</b> The pool runtime calls every hook with the pool's scheduling lock
 * held, so a policy needs no locking of its own and sees hooks in a total order. Hooks must be
 * quick and must not block. Time is counted in retired guest instructions (the unit of the
 * deterministic clock), so a policy's decisions are reproducible; {@code now} is the pool's
 * instruction count.
 *
 * <p><b>Membership and states.</b> The runtime owns {@link SchedVcpu#state()}. A vCPU is inserted
 * once (in any state), then the runtime reports each transition: {@link #wake} (blocked/paused →
 * runnable), {@link #sleep} (runnable/running → blocked/paused), and after each run {@link
 * #account}. {@link #pickNext} may return only a vCPU that is {@link VcpuState#RUNNABLE}; the
 * runtime marks it running, and never lets one vCPU run on two physical CPUs at once.
 *
 * <p><b>Hot swap.</b> A policy declares the {@link StateFormat}s it can export and import; the
 * runtime picks the richest common one, calls {@link #exportState} on the old policy and {@link
 * #importState} on the new one (instead of inserting the vCPUs one by one). If {@link #start} or
 * {@link #importState} throws, the swap is abandoned and the old policy stays.
 */
public interface Scheduler {

  /** The name the policy is registered under (e.g. {@code "credit"}). */
  String name();

  /**
   * Called once before the policy serves a pool of {@code physicalCpus} CPUs (indices 0..n-1).
   *
   * @throws IllegalStateException or IllegalArgumentException if the policy cannot serve the pool
   */
  default void start(int physicalCpus) {}

  /** Adds {@code vcpu} to the policy's view (its state may be anything but running). */
  void insert(SchedVcpu vcpu);

  /** Removes {@code vcpu} for good (VM destroyed or moved to another pool). */
  void remove(SchedVcpu vcpu);

  /** {@code vcpu} became runnable (interrupt, timer, resume). */
  void wake(SchedVcpu vcpu);

  /** {@code vcpu} stopped being runnable (WFI with nothing pending, pause). */
  default void sleep(SchedVcpu vcpu) {}

  /**
   * Chooses what physical CPU {@code cpu} runs next, or {@link Decision#IDLE}.
   *
   * @param cpu the physical CPU asking, 0-based within the pool
   * @param now the pool's instruction count (its virtual time)
   */
  Decision pickNext(int cpu, long now);

  /**
   * Reports that {@code vcpu} ran {@code instructions} on {@code cpu} and is now in its (new)
   * state: runnable again (quantum over or yield), blocked, or halted.
   */
  void account(SchedVcpu vcpu, int cpu, long instructions, long now);

  /** {@code vcpu} gave up the rest of its quantum (e.g. a spin-wait hint). */
  default void yield(SchedVcpu vcpu) {}

  /** {@code vcpu} is moved from {@code fromCpu}'s queue to {@code toCpu}'s (affinity change). */
  default void migrate(SchedVcpu vcpu, int fromCpu, int toCpu) {}

  /** A periodic tick at pool time {@code now} (accounting periods, replenishment). */
  default void tick(long now) {}

  /**
   * The name that stands for the whole pool in {@link #parameters} and {@link #setParameter}: the
   * pool-wide parameters (e.g. credit's {@code slice}), as opposed to one VM's.
   */
  String POOL = "*";

  /**
   * The policy's parameters of VM {@code vm} (e.g. {@code weight}, {@code cap}), or the pool-wide
   * ones for {@link #POOL}, as text.
   *
   * @throws IllegalArgumentException if the policy does not know the VM
   */
  default Map<String, String> parameters(String vm) {
    return Map.of();
  }

  /**
   * Sets parameter {@code key} of VM {@code vm} after validating it; nothing changes on error.
   *
   * @throws IllegalArgumentException with a one-line reason (unknown key, weight of 0, budget
   *     above period, cap over 100 % × vCPUs)
   */
  default void setParameter(String vm, String key, String value) {
    throw new IllegalArgumentException(name() + " has no parameter '" + key + "'");
  }

  /**
   * True if the policy promises to run every runnable vCPU eventually, which is what the pool's
   * watchdog checks. A static partitioning policy (Xen's null scheduler) that deliberately parks
   * vCPUs beyond the CPU count returns false and is not watched for stalls (it is still replaced
   * if it throws or picks a vCPU that cannot run).
   */
  default boolean workConserving() {
    return true;
  }

  /** A human-readable description of the policy's current state (queues, credits), for dumps. */
  default String dump() {
    return name();
  }

  /** The formats this policy can export, richest first in its own preference. */
  List<StateFormat> exportFormats();

  /** The formats this policy can import, richest first in its own preference. */
  List<StateFormat> importFormats();

  /**
   * Exports the complete state in {@code format} (one of {@link #exportFormats()}); listing every
   * vCPU the policy holds exactly once. Called with all the pool's physical CPUs quiesced.
   */
  SchedulerState exportState(StateFormat format);

  /**
   * Replaces this (fresh, started) policy's state by {@code state}; afterwards it holds exactly
   * the vCPUs listed there, in their states.
   *
   * @throws IllegalArgumentException if the state cannot be imported (the swap is abandoned)
   */
  void importState(SchedulerState state);
}
