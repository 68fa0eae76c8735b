package dev.ovm.vmm.sched;

import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A vCPU as a scheduler sees it: which VM it belongs to, its index in that VM, its state, and one
 * slot for the scheduler's private per-vCPU data (as Xen's {@code sched_unit->priv}).
 *
 * <p>Identity: two handles are the same vCPU iff they are the same object; {@link #key()} is a
 * stable, printable identity ({@code vm/index}) used in exported state and traces.
 *
 * <p>Thread safety: {@link #state()} is written only by the pool runtime under the pool's
 * scheduling lock; {@link #policyData} belongs to the pool's current scheduler and is reset to
 * null when a scheduler is swapped out.
 */
public final class SchedVcpu {
  private final String vm;
  private final int index;
  private volatile VcpuState state = VcpuState.RUNNABLE;
  private volatile @Nullable Object policyData;

  /**
   * Creates a handle.
   *
   * @param vm the VM's name (unique within the VMM)
   * @param index the vCPU's index (hart id) within its VM
   */
  public SchedVcpu(String vm, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("vCPU index must be >= 0: " + index);
    }
    this.vm = vm;
    this.index = index;
  }

  /** The VM's name. */
  public String vm() {
    return vm;
  }

  /** The vCPU's index within its VM. */
  public int index() {
    return index;
  }

  /** A stable identity, {@code vm/index}. */
  public String key() {
    return vm + "/" + index;
  }

  /** The current state. */
  public VcpuState state() {
    return state;
  }

  /** Sets the state; only the pool runtime calls this. */
  public void setState(VcpuState state) {
    this.state = state;
  }

  /** The current scheduler's private data for this vCPU, or null. */
  public @Nullable Object policyData() {
    return policyData;
  }

  /** Sets the current scheduler's private data for this vCPU. */
  public void setPolicyData(@Nullable Object data) {
    this.policyData = data;
  }

  @Override
  public String toString(@GuardSatisfied SchedVcpu this) {
    return vm + "/" + index + "(" + state + ")";
  }
}
