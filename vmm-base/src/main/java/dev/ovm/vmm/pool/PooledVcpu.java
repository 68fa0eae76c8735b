package dev.ovm.vmm.pool;

import dev.ovm.vmm.Vcpu;
import dev.ovm.vmm.Vm;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.VcpuState;
import org.checkerframework.checker.lock.qual.GuardSatisfied;

/**
 * A vCPU as the pool runtime holds it: the executable {@link Vcpu}, its VM, the handle its
 * scheduler sees, and its statistics. Created when a VM joins a pool.
 *
 * <p>Thread safety: the fields below are written only with the owning pool's lock held, or by the
 * one physical CPU that currently runs this vCPU (which the pool guarantees is unique).
 */
final class PooledVcpu {
  final Vm vm;
  final Vcpu vcpu;
  final SchedVcpu handle;
  final VcpuStats stats = new VcpuStats();
  /** Pool time at which the vCPU last became runnable, for wake-up latency; -1 if not waiting. */
  long wokenAt = -1;
  /** Pool time since which the vCPU has been runnable without running (watchdog), or -1. */
  long runnableSince;
  /** The physical CPU running it, or -1. */
  int runningOn = -1;

  PooledVcpu(Vm vm, Vcpu vcpu) {
    this.vm = vm;
    this.vcpu = vcpu;
    this.handle = new SchedVcpu(vm.name(), vcpu.id());
  }

  VcpuState state() {
    return handle.state();
  }

  @Override
  public String toString(@GuardSatisfied PooledVcpu this) {
    return handle.toString();
  }
}
