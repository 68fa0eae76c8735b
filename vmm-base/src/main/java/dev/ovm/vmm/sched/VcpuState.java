package dev.ovm.vmm.sched;

/**
 * The scheduling state of a vCPU. The runtime ({@code CpuPool}) owns it and tells the pool's
 * {@link Scheduler} about every change through the scheduler's hooks; a scheduler never changes it.
 */
public enum VcpuState {
  /** Ready to run, waiting for a physical CPU. */
  RUNNABLE,
  /** Running on exactly one physical CPU. */
  RUNNING,
  /** Waiting for an interrupt (WFI with nothing pending); must not occupy a physical CPU. */
  BLOCKED,
  /** Paused by the operator (VM pause); not scheduled until resumed. */
  PAUSED,
  /** Stopped for good (the VM ended or the hart was stopped). */
  HALTED
}
