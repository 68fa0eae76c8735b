package dev.ovm.vmm;

import dev.ovm.vmm.pool.PoolEvent;

/**
 * Something an operator of a running {@link Vmm} may want to hear about: a VM changed state or a
 * pool's policy slot changed. Delivered to the listeners added with {@link
 * Vmm#addEventListener}.
 */
public sealed interface VmmEvent {

  /** The VM the event is about, or the empty string for pool events. */
  String vm();

  /** The VM was paused: its vCPUs left the physical CPUs and keep their state. */
  record VmPaused(String vm) implements VmmEvent {}

  /** The paused VM runs again. */
  record VmResumed(String vm) implements VmmEvent {}

  /** The VM was reset to its just-created state and started again. */
  record VmReset(String vm) implements VmmEvent {}

  /** The VM moved from one pool to another. */
  record VmMoved(String vm, String from, String to) implements VmmEvent {}

  /** The VM ended for {@code reason} and left its pool. */
  record VmStopped(String vm, StopReason reason) implements VmmEvent {}

  /** A pool swapped its policy, refused a swap, or its watchdog reverted the policy. */
  record Pool(PoolEvent event) implements VmmEvent {
    @Override
    public String vm() {
      return "";
    }
  }
}
