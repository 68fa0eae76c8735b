package dev.ovm.io.loader;

import dev.ovm.vmm.memory.GuestMemory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Loads an ELF64 little-endian RISC-V executable (e_machine 243, ET_EXEC) into guest RAM, as
 * QEMU does for {@code -kernel}/{@code -bios} ELF files: each PT_LOAD segment goes to its
 * physical address {@code p_paddr}; its {@code p_filesz} file bytes are copied and the rest of its
 * {@code p_memsz} bytes are zero-filled.
 *
 * <p>Everything is checked before the first byte is written: the header (System V gABI "ELF
 * Header"), that the program headers and each segment's file bytes lie inside the file, that
 * {@code p_filesz <= p_memsz}, that each segment lies inside RAM, that no two segments overlap,
 * that the entry point lies inside a segment, and that the symbol table is well formed. Any
 * failure throws {@link ImageException} with a one-line message naming the file, and leaves guest
 * memory untouched; no other exception escapes for any input bytes.
 */
public final class ElfLoader {
  private ElfLoader() {}

  /**
   * Loads ELF file {@code file} into {@code memory}.
   *
   * @throws ImageException if the file cannot be read or is not a loadable RISC-V executable
   */
  public static ElfImage load(Path file, GuestMemory memory) throws ImageException {
    return load(ImageBytes.read(file), memory);
  }

  /**
   * Loads the ELF image {@code image} (e.g. a resource), called {@code name} in messages.
   *
   * @throws ImageException if the image is not a loadable RISC-V executable
   */
  public static ElfImage load(String name, byte[] image, GuestMemory memory)
      throws ImageException {
    return load(new ImageBytes(name, image), memory);
  }

  private static ElfImage load(ImageBytes image, GuestMemory memory) throws ImageException {
    ElfHeader header = ElfHeader.parse(image);
    List<ElfSegment> segments = new ArrayList<>();
    for (int index = 0; index < header.programHeaderCount(); index++) {
      ElfSegment segment = ElfSegment.read(image, header, index);
      if (segment != null) {
        check(image, segment, memory);
        segments.add(segment);
      }
    }
    if (segments.isEmpty()) {
      throw image.error("no loadable (PT_LOAD) segments");
    }
    checkDisjoint(image, segments);
    long entry = physicalEntry(image, header.entry(), segments);
    var symbols = ElfSymbols.read(image, header);

    long lowest = Long.MAX_VALUE;
    long end = 0;
    for (ElfSegment segment : segments) {
      image.copyTo(memory, segment.physicalAddress(), segment.fileOffset(), segment.fileSize());
      GuestRange.zero(memory, segment.physicalAddress() + segment.fileSize(),
          segment.memorySize() - segment.fileSize());
      lowest = Math.min(lowest, segment.physicalAddress());
      end = Math.max(end, segment.physicalEnd());
    }
    return new ElfImage(entry, lowest, end, symbols);
  }

  private static void check(ImageBytes image, ElfSegment segment, GuestMemory memory)
      throws ImageException {
    if (!image.contains(segment.fileOffset(), segment.fileSize())) {
      throw image.error(String.format(
          "segment %d: file bytes at 0x%x (size 0x%x) run past the end of the file (size 0x%x)",
          segment.index(), segment.fileOffset(), segment.fileSize(), image.size()));
    }
    // fileSize is now below 2^31; a negative memorySize is an unsigned value of 2^63 or more.
    if (segment.memorySize() >= 0 && segment.fileSize() > segment.memorySize()) {
      throw image.error(String.format(
          "segment %d: file size 0x%x exceeds its memory size 0x%x",
          segment.index(), segment.fileSize(), segment.memorySize()));
    }
    GuestRange.checkFits(image, "segment", segment.physicalAddress(), segment.memorySize(),
        memory);
  }

  /** Sorted by physical address, neighbours must not overlap (so no two segments do). */
  private static void checkDisjoint(ImageBytes image, List<ElfSegment> segments)
      throws ImageException {
    List<ElfSegment> sorted = new ArrayList<>(segments);
    sorted.sort(Comparator.comparingLong(ElfSegment::physicalAddress));
    for (int i = 1; i < sorted.size(); i++) {
      ElfSegment a = sorted.get(i - 1);
      ElfSegment b = sorted.get(i);
      if (b.physicalAddress() < a.physicalEnd()) {
        ElfSegment first = a.index() < b.index() ? a : b;
        ElfSegment second = first == a ? b : a;
        throw image.error(String.format(
            "segments %d (0x%x-0x%x) and %d (0x%x-0x%x) overlap",
            first.index(), first.physicalAddress(), first.physicalEnd() - 1,
            second.index(), second.physicalAddress(), second.physicalEnd() - 1));
      }
    }
  }

  /** e_entry moved into physical memory through the segment whose virtual range holds it. */
  private static long physicalEntry(ImageBytes image, long entry, List<ElfSegment> segments)
      throws ImageException {
    for (ElfSegment segment : segments) {
      if (segment.containsVirtual(entry)) {
        return entry - segment.virtualAddress() + segment.physicalAddress();
      }
    }
    throw image.error(String.format(
        "entry point 0x%x is not inside any loadable segment", entry));
  }
}
