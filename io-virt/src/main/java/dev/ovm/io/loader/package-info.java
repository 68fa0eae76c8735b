/**
 * Image loaders that put a guest's firmware, kernel or initrd into guest RAM through
 * {@link dev.ovm.vmm.memory.GuestMemory}: {@link dev.ovm.io.loader.ElfLoader} for ELF64 RISC-V
 * executables (segments at their physical addresses, symbols for HTIF's {@code tohost}) and
 * {@link dev.ovm.io.loader.RawLoader} for raw binaries. Each checks the whole image before writing
 * anything and reports every problem as one {@link dev.ovm.io.loader.ImageException} line.
 */
package dev.ovm.io.loader;
