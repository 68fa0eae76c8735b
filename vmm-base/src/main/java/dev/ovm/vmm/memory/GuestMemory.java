package dev.ovm.vmm.memory;

import dev.ovm.vmm.GuestPhysAddr;

/**
 * A VM's RAM as seen from outside the CPU: loaders and device DMA read and write it through this
 * interface. Every access is bounds-checked against the VM's own RAM; an access that does not lie
 * wholly inside it throws {@link GuestMemoryException} and changes nothing, so a guest-supplied
 * address can never reach host memory outside the guest's frames.
 */
public interface GuestMemory {

  /** Guest-physical address of the first byte of RAM. */
  GuestPhysAddr base();

  /** Size of RAM in bytes. */
  long size();

  /** True if {@code [gpa, gpa + length)} lies wholly inside RAM (false on overflow). */
  default boolean contains(long gpa, long length) {
    long offset = gpa - base().value();
    return length >= 0 && offset >= 0 && offset <= size() && length <= size() - offset;
  }

  /**
   * Copies {@code length} bytes of guest RAM at {@code gpa} into {@code dst[dstOffset...]}.
   *
   * @throws GuestMemoryException if the range is not wholly inside RAM
   * @throws IndexOutOfBoundsException if the range is not wholly inside {@code dst}
   */
  void read(long gpa, byte[] dst, int dstOffset, int length);

  /**
   * Copies {@code src[srcOffset...]} into guest RAM at {@code gpa}.
   *
   * @throws GuestMemoryException if the range is not wholly inside RAM
   * @throws IndexOutOfBoundsException if the range is not wholly inside {@code src}
   */
  void write(long gpa, byte[] src, int srcOffset, int length);
}
