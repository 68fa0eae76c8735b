package dev.ovm.io.loader;

import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One PT_LOAD program header (System V gABI, "Program Header"), checked against its file and guest
 * RAM before anything is written.
 *
 * @param index the program header's index, for messages
 * @param fileOffset p_offset
 * @param virtualAddress p_vaddr
 * @param physicalAddress p_paddr, where the segment is loaded
 * @param fileSize p_filesz
 * @param memorySize p_memsz; the bytes past p_filesz are zero-filled
 */
record ElfSegment(int index, long fileOffset, long virtualAddress, long physicalAddress,
    long fileSize, long memorySize) {

  static final int PT_LOAD = 1;

  /**
   * Reads program header {@code index} if it is a PT_LOAD entry with a non-zero memory size;
   * null otherwise.
   */
  static @Nullable ElfSegment read(
      ImageBytes image, ElfHeader header, int index) throws ImageException {
    long at = header.programHeaderOffset() + (long) index * ElfHeader.PROGRAM_HEADER_SIZE;
    if (image.u32(at) != PT_LOAD) {
      return null;
    }
    ElfSegment segment = new ElfSegment(index, image.u64(at + 8), image.u64(at + 16),
        image.u64(at + 24), image.u64(at + 32), image.u64(at + 40));
    return segment.memorySize() == 0 && segment.fileSize() == 0 ? null : segment;
  }

  /** End of the segment in guest-physical memory (one past its last byte); valid after checks. */
  long physicalEnd() {
    return physicalAddress + memorySize;
  }

  /** True if the virtual address lies inside this segment's virtual range. */
  boolean containsVirtual(long address) {
    long offset = address - virtualAddress;
    return offset >= 0 && offset < memorySize;
  }
}
