package dev.ovm.io.virtio;

/**
 * Where a device is in its life (virtio 1.2 3.1): not yet usable, live with its queues, or
 * stopped in DEVICE_NEEDS_RESET until the driver resets it. A type rather than a flag, so that a
 * device can reach its queues only in the state that has them.
 */
public sealed interface DeviceLifecycle
    permits DeviceLifecycle.Inactive, DeviceLifecycle.Active, DeviceLifecycle.NeedsReset {

  /** Before DRIVER_OK, and after a reset. */
  record Inactive() implements DeviceLifecycle {}

  /** After DRIVER_OK: the device processes its queues. */
  record Active(Activation activation) implements DeviceLifecycle {}

  /** After an error the device cannot recover from (2.1.2); only a reset leaves this state. */
  record NeedsReset() implements DeviceLifecycle {}

  /** The initial state. */
  DeviceLifecycle INACTIVE = new Inactive();

  /** The state after a device error. */
  DeviceLifecycle NEEDS_RESET = new NeedsReset();
}
