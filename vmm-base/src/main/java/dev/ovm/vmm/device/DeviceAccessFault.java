package dev.ovm.vmm.device;

/**
 * Thrown by a device or the bus when the guest's access cannot complete (an unmapped address, a
 * width the device does not implement). It carries no stack trace: it is control flow that the
 * hart converts into an access-fault exception (Priv spec 3.7.1), not a VMM error.
 */
public final class DeviceAccessFault extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The one shared instance: the fault carries no data, so no allocation is needed to throw it. */
  public static final DeviceAccessFault INSTANCE = new DeviceAccessFault();

  private DeviceAccessFault() {
    super("device access fault", null, false, false);
  }
}
