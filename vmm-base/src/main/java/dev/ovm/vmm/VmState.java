package dev.ovm.vmm;

/** The lifecycle of a {@link Vm}: created, then running, then stopped (for good). */
public enum VmState {
  /** Built, not yet started. */
  CREATED,
  /** Executing guest code. */
  RUNNING,
  /** Ended: the guest powered off, a guard fired, the user quit, or the guest failed. */
  STOPPED
}
