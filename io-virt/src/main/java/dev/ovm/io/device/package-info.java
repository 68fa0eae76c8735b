/**
 * The devices of the {@code virt} board: {@link dev.ovm.io.device.Uart16550}, {@link
 * dev.ovm.io.device.Clint}, {@link dev.ovm.io.device.Plic}, {@link dev.ovm.io.device.TestFinisher}
 * and, for bare-metal test programs, {@link dev.ovm.io.device.Htif}.
 *
 * <p>Devices reach harts only through {@link dev.ovm.vmm.device.IrqLine}s handed to their
 * constructors, and reject guest accesses only with {@link dev.ovm.vmm.device.DeviceAccessFault}.
 *
 * <p>Lock order across the package: each device has one private lock. A device may drive its
 * interrupt line while holding its own lock, so the global order is <em>device (UART) lock, then
 * PLIC lock, then the hart's interrupt-pending state</em>; the CLINT and the PLIC drive hart lines
 * while holding their locks. Hart lines therefore must not call back into any device, and no device
 * calls another device's registers.
 */
package dev.ovm.io.device;
