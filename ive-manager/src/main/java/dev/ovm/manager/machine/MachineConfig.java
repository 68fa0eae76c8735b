package dev.ovm.manager.machine;

import dev.ovm.cpu.Hart;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to build one virt machine, as the user gave it on the command line.
 *
 * @param kernel the program to run: an ELF or raw image; empty means the embedded demo guest
 * @param bios firmware loaded at the start of RAM; empty means {@code -bios none} (the kernel is
 *     entered directly in M-mode)
 * @param memoryBytes RAM size in bytes, a multiple of 4 KiB
 * @param harts number of harts ({@code -smp}), 1..{@value #MAX_HARTS}
 * @param bootargs the kernel command line placed in {@code /chosen/bootargs}
 * @param initrd an initial RAM disk to load and describe in the device tree
 * @param deterministicClock true: guest time advances with retired instructions; false: host time
 * @param name the VM's name (unique in one {@code ovm run})
 * @param drives raw disk images, each a virtio block device
 * @param devices other virtio devices by name: {@code virtio-rng}, {@code virtio-console}
 * @param sstc true if the harts implement Sstc and the ISA string says so ({@code -cpu
 *     rv64,sstc=off} turns it off)
 * @param translationThreshold executions of a guest block before the harts translate it to JVM
 *     code; 0 interprets everything ({@code -accel interp})
 */
public record MachineConfig(
    String name,
    Optional<Path> kernel,
    Optional<Path> bios,
    long memoryBytes,
    int harts,
    String bootargs,
    Optional<Path> initrd,
    boolean deterministicClock,
    List<Drive> drives,
    List<String> devices,
    boolean sstc,
    int translationThreshold) {

  /** A machine whose harts translate hot blocks after the default number of executions. */
  public MachineConfig(String name, Optional<Path> kernel, Optional<Path> bios, long memoryBytes,
      int harts, String bootargs, Optional<Path> initrd, boolean deterministicClock,
      List<Drive> drives, List<String> devices, boolean sstc) {
    this(name, kernel, bios, memoryBytes, harts, bootargs, initrd, deterministicClock, drives,
        devices, sstc, Hart.DEFAULT_TRANSLATION_THRESHOLD);
  }

  /** This configuration with another translation threshold (0 = interpret only). */
  public MachineConfig withTranslationThreshold(int threshold) {
    return new MachineConfig(name, kernel, bios, memoryBytes, harts, bootargs, initrd,
        deterministicClock, drives, devices, sstc, threshold);
  }

  /**
   * A disk image attached as a virtio block device.
   *
   * @param file the raw image
   * @param readOnly true to refuse the guest's writes
   */
  public record Drive(Path file, boolean readOnly) {}

  /** The virtio device names {@link #devices} may hold. */
  public static final List<String> DEVICE_NAMES = List.of("virtio-rng", "virtio-console");

  /** A machine with no virtio devices. */
  public MachineConfig(String name, Optional<Path> kernel, Optional<Path> bios, long memoryBytes,
      int harts, String bootargs, Optional<Path> initrd, boolean deterministicClock) {
    this(name, kernel, bios, memoryBytes, harts, bootargs, initrd, deterministicClock, List.of(), List.of(), true);
  }

  /** Most harts a machine may have (the PLIC window has room for far more; this is a sanity bound). */
  public static final int MAX_HARTS = 64;

  /** Smallest RAM accepted: 1 MiB. */
  public static final long MIN_MEMORY = 1L << 20;

  /** Largest RAM accepted: the virt board's DRAM window below the 64-bit boundary, 16 GiB here. */
  public static final long MAX_MEMORY = 16L << 30;

  /** Validates the configuration; messages are one line for the user. */
  public MachineConfig {
    if (translationThreshold < 0) {
      throw new IllegalArgumentException(
          "the translation threshold must be 0 (interpret only) or more, got " + translationThreshold);
    }
    if (!name.matches("[A-Za-z0-9_.-]{1,32}")) {
      throw new IllegalArgumentException("VM name must be 1-32 letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    if (harts < 1 || harts > MAX_HARTS) {
      throw new IllegalArgumentException("-smp must be between 1 and " + MAX_HARTS + ", got " + harts);
    }
    if (memoryBytes < MIN_MEMORY || memoryBytes > MAX_MEMORY) {
      throw new IllegalArgumentException(
          "-m must be between 1M and 16G, got " + memoryBytes / (1 << 20) + "M");
    }
    if (memoryBytes % 4096 != 0) {
      throw new IllegalArgumentException("-m must be a multiple of 4K");
    }
    drives = List.copyOf(drives);
    devices = List.copyOf(devices);
    for (String device : devices) {
      if (!DEVICE_NAMES.contains(device)) {
        throw new IllegalArgumentException(
            "unknown device '" + device + "' (known: " + String.join(", ", DEVICE_NAMES) + ")");
      }
    }
    if (drives.size() + devices.size() > 8) {
      throw new IllegalArgumentException("the virt board has 8 virtio-mmio slots; "
          + (drives.size() + devices.size()) + " devices were asked for");
    }
  }
}
