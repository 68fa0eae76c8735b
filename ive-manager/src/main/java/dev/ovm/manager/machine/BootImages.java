package dev.ovm.manager.machine;

import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.io.fdt.VirtDeviceTree;
import dev.ovm.io.loader.ElfImage;
import dev.ovm.io.loader.ElfLoader;
import dev.ovm.io.loader.ImageException;
import dev.ovm.io.loader.RawLoader;
import dev.ovm.manager.cli.UserError;
import dev.ovm.memory.GuestRam;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Loads the images of a boot into RAM as QEMU's virt does and remembers where they went.
 *
 * <ul>
 *   <li>{@code -bios none} with an S-mode kernel — a RISC-V Linux {@code Image} (its header's magic
 *       "RSC\x05" at offset 0x38) or an ELF whose entry is 0x8020_0000, the payload address of
 *       OpenSBI's fw_jump: the kernel goes at 0x8020_0000 (an Image) or its ELF addresses, and the
 *       boot hart enters it in S-mode with the VMM serving SBI ({@link #supervisorPayload()}).
 *   <li>{@code -bios none} otherwise: the kernel is the first image: an ELF at its physical
 *       addresses, a raw image at the start of RAM; harts start at its entry in M-mode.
 *   <li>{@code -bios FILE}: the firmware goes at the start of RAM (ELF or raw) and harts start at
 *       its entry; the kernel follows at 0x8020_0000 (raw) or its ELF addresses.
 *   <li>no {@code -kernel} and no {@code -bios}: the demo guest embedded in the jar.
 *   <li>{@code -initrd}: halfway into RAM above the kernel, at most 128 MiB above it (QEMU's rule,
 *       which keeps it clear of a decompressing kernel).
 * </ul>
 */
final class BootImages {
  /** Class-path location of the embedded demo guest. */
  static final String DEMO_RESOURCE = "/dev/ovm/manager/guests/demo.elf";

  private record Range(long start, long end, String what) {}

  private final List<Range> occupied = new ArrayList<>();
  private long entry = -1;
  private long nextStage = VirtMemoryMap.KERNEL_WITH_FIRMWARE_BASE;
  private @Nullable Long tohost;
  private @Nullable Long fromhost;
  private VirtDeviceTree.@Nullable Initrd initrd;
  private boolean supervisorPayload;

  /** Offset of the second magic of a RISC-V Linux Image header (Documentation/arch/riscv/boot-image-header.rst). */
  private static final int IMAGE_MAGIC2_OFFSET = 0x38;
  private static final byte[] IMAGE_MAGIC2 = {'R', 'S', 'C', 0x05};

  private BootImages() {}

  /**
   * Loads every image {@code config} names into {@code ram}.
   *
   * @throws UserError if an image cannot be read, is malformed or does not fit
   */
  static BootImages load(MachineConfig config, GuestRam ram) {
    BootImages images = new BootImages();
    long kernelBase = VirtMemoryMap.DRAM_BASE;
    if (config.bios().isPresent()) {
      images.loadFile(config.bios().get(), VirtMemoryMap.DRAM_BASE, ram, "firmware", true);
      kernelBase = VirtMemoryMap.KERNEL_WITH_FIRMWARE_BASE;
    }
    if (config.kernel().isPresent()) {
      byte[] kernel = readFile(config.kernel().get(), "kernel");
      boolean noFirmware = config.bios().isEmpty();
      boolean linuxImage = noFirmware && isLinuxImage(kernel);
      if (linuxImage) {
        kernelBase = VirtMemoryMap.KERNEL_WITH_FIRMWARE_BASE;
      }
      images.load(config.kernel().get().toString(), kernel, kernelBase, ram, "kernel", noFirmware);
      images.supervisorPayload = linuxImage
          || (noFirmware && isElf(kernel) && images.entry == VirtMemoryMap.KERNEL_WITH_FIRMWARE_BASE);
    } else if (config.bios().isEmpty()) {
      images.loadDemo(ram);
    }
    if (config.initrd().isPresent()) {
      images.loadInitrd(config.initrd().get(), kernelBase, ram);
    }
    return images;
  }

  private void loadFile(Path file, long rawBase, GuestRam ram, String what, boolean first) {
    load(file.toString(), readFile(file, what), rawBase, ram, what, first);
  }

  private static byte[] readFile(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UserError("cannot read " + what + " " + file + ": " + reason(e), e);
    }
  }

  /** A RISC-V Linux Image: the header's second magic (see the class comment). */
  private static boolean isLinuxImage(byte[] bytes) {
    if (bytes.length < IMAGE_MAGIC2_OFFSET + IMAGE_MAGIC2.length) {
      return false;
    }
    for (int i = 0; i < IMAGE_MAGIC2.length; i++) {
      if (bytes[IMAGE_MAGIC2_OFFSET + i] != IMAGE_MAGIC2[i]) {
        return false;
      }
    }
    return true;
  }

  private void loadDemo(GuestRam ram) {
    byte[] bytes;
    try (InputStream in = BootImages.class.getResourceAsStream(DEMO_RESOURCE)) {
      if (in == null) {
        throw new UserError("the embedded demo guest is missing from this build (" + DEMO_RESOURCE + ")");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UserError("cannot read the embedded demo guest: " + e.getMessage(), e);
    }
    load("demo.elf (embedded)", bytes, VirtMemoryMap.DRAM_BASE, ram, "demo guest", true);
  }

  private void load(String name, byte[] bytes, long rawBase, GuestRam ram, String what, boolean first) {
    try {
      long start;
      long end;
      long imageEntry;
      if (isElf(bytes)) {
        ElfImage elf = ElfLoader.load(name, bytes, ram);
        start = elf.lowestAddress();
        end = elf.endAddress();
        imageEntry = elf.entry();
        if (first) {
          tohost = symbolOrNull(elf, "tohost");
          fromhost = symbolOrNull(elf, "fromhost");
        }
      } else {
        var raw = RawLoader.load(name, bytes, rawBase, ram);
        start = raw.start();
        end = raw.end();
        imageEntry = raw.start();
      }
      checkFree(start, end - start, what + " " + name);
      occupied.add(new Range(start, end, what + " " + name));
      if (first) {
        entry = imageEntry;
      } else {
        nextStage = imageEntry;
      }
    } catch (ImageException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private void loadInitrd(Path file, long kernelBase, GuestRam ram) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UserError("cannot read initrd " + file + ": " + reason(e), e);
    }
    long ramSize = ram.size();
    long offset = ramSize < (256L << 20) ? ramSize / 2 : 128L << 20;
    long start = (kernelBase + offset + 4095) & ~4095L;
    try {
      var raw = RawLoader.load(file, start, ram);
      checkFree(raw.start(), raw.end() - raw.start(), "initrd " + file);
      occupied.add(new Range(raw.start(), raw.end(), "initrd " + file));
      initrd = new VirtDeviceTree.Initrd(raw.start(), raw.end());
    } catch (ImageException e) {
      throw new UserError(e.getMessage() + " (the initrd goes at 0x" + Long.toHexString(start) + "; try a larger -m)", e);
    }
  }

  /**
   * Checks that {@code [start, start + length)} overlaps no loaded image.
   *
   * @throws UserError naming both if it does
   */
  void checkFree(long start, long length, String what) {
    for (Range r : occupied) {
      if (start < r.end() && r.start() < start + length) {
        throw new UserError(
            String.format(
                "%s at 0x%x-0x%x overlaps %s at 0x%x-0x%x (RAM too small? try a larger -m)",
                what, start, start + length - 1, r.what(), r.start(), r.end() - 1));
      }
    }
  }

  private static @Nullable Long symbolOrNull(ElfImage elf, String name) {
    OptionalLong value = elf.symbol(name);
    if (value.isEmpty()) {
      return null;
    }
    return value.getAsLong();
  }

  private static boolean isElf(byte[] bytes) {
    return bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
  }

  /**
   * True if the kernel is an S-mode payload run without firmware: the VMM serves SBI and the boot
   * hart enters the kernel in S-mode.
   */
  boolean supervisorPayload() {
    return supervisorPayload;
  }

  /** Where the harts start: the entry of the first image. */
  long entry() {
    return entry;
  }

  /** Guest-physical address of the first image's {@code tohost} symbol, or null. */
  @Nullable Long tohost() {
    return tohost;
  }

  /** Guest-physical address of the first image's {@code fromhost} symbol, or null. */
  @Nullable Long fromhost() {
    return fromhost;
  }

  /** The initial RAM disk's range, or null. */
  VirtDeviceTree.@Nullable Initrd initrd() {
    return initrd;
  }

  /** Entry point of the image firmware hands over to (the kernel), for fw_dynamic_info. */
  long nextStageEntry() {
    return nextStage;
  }
}
