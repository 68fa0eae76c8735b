package dev.ovm.vmm.device;

/**
 * A device register block on the system bus. The bus calls it with an offset relative to the
 * device's base and an access width of 1, 2, 4 or 8 bytes; it has already checked that {@code
 * offset + width <= size()}.
 *
 * <p>A device that does not accept an access (a width it does not implement, a write to a
 * read-only register where the hardware faults) throws {@link DeviceAccessFault}; the hart turns
 * that into an access-fault exception in the guest. Reads of unimplemented registers return 0 and
 * writes to them are ignored, as on real hardware. A device never throws anything else for
 * guest-controlled input.
 */
public interface MmioDevice {

  /** A short name for diagnostics and the device tree, e.g. {@code "uart0"}. */
  String name();

  /** Size in bytes of the register window; constant for the device's lifetime. */
  long size();

  /**
   * Reads {@code width} bytes at {@code offset}.
   *
   * @return the value, zero-extended to 64 bits
   * @throws DeviceAccessFault if the device rejects the access
   */
  long read(long offset, int width);

  /**
   * Writes the low {@code width} bytes of {@code value} at {@code offset}.
   *
   * @throws DeviceAccessFault if the device rejects the access
   */
  void write(long offset, int width, long value);
}
