/**
 * Flattened devicetrees (Devicetree Specification v0.4, chapter 5): {@link dev.ovm.io.fdt.FdtBuilder}
 * writes a blob, {@link dev.ovm.io.fdt.FdtReader} parses and checks one, and
 * {@link dev.ovm.io.fdt.VirtDeviceTree} describes the ovm {@code virt} board (QEMU's layout, the
 * addresses of {@link dev.ovm.io.board.VirtMemoryMap}) and says where in RAM the blob goes.
 */
package dev.ovm.io.fdt;
