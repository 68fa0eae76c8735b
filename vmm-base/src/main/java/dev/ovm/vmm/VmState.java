package dev.ovm.vmm;

/** The lifecycle of a {@link Vm}: created, then running (and paused and resumed), then stopped for good. */
public enum VmState {
  /** Built, not yet started. */
  CREATED,
  /** Executing guest code. */
  RUNNING,
  /** Paused by the operator: its vCPUs keep their state but are not scheduled until resumed. */
  PAUSED,
  /** Ended: the guest powered off, a guard fired, the user quit, or the guest failed. */
  STOPPED
}
