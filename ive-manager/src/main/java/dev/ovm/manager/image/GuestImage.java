package dev.ovm.manager.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A guest image that {@code ovm image pull} can fetch and build: its name, what it holds, the
 * project script that builds it, where that script leaves it (under the project's {@code
 * .ovm-cache/}), the files that make it complete, and how to boot it.
 *
 * @param name the name users type, e.g. {@code debian-riscv64}
 * @param description one line: what the image is made of
 * @param script the build script, relative to the project folder
 * @param folder where the image ends up, relative to the project folder
 * @param files the files the image consists of, inside {@code folder}
 * @param bootHint how to boot it, with {@code DIR} standing for the image's folder
 */
public record GuestImage(
    String name, String description, String script, String folder, List<String> files, String bootHint) {

  /** Debian 13's riscv64 kernel, busybox initramfs and OpenSBI (see {@code scripts/debian-image.sh}). */
  public static final GuestImage DEBIAN_RISCV64 = new GuestImage(
      "debian-riscv64",
      "Debian 13 (trixie) riscv64: kernel 6.12, busybox-static initramfs (virtio, ext4), OpenSBI fw_jump",
      "scripts/debian-image.sh",
      ".ovm-cache/images/debian-riscv64",
      List.of("vmlinux", "initramfs.gz", "fw_jump.bin"),
      "ovm run -bios DIR/fw_jump.bin -kernel DIR/vmlinux -initrd DIR/initramfs.gz -m 512M -append console=ttyS0");

  /** Every image ovm knows, by name. */
  public static final List<GuestImage> ALL = List.of(DEBIAN_RISCV64);

  /** The image called {@code name}, if ovm knows one. */
  public static Optional<GuestImage> named(String name) {
    return ALL.stream().filter(image -> image.name().equals(name)).findFirst();
  }

  /** The names of all known images, comma-separated, for messages. */
  public static String names() {
    return String.join(", ", ALL.stream().map(GuestImage::name).toList());
  }

  /** The image's folder in the project at {@code project}. */
  public Path folderIn(Path project) {
    return project.resolve(folder);
  }

  /** True if every file of the image is in its folder under {@code project}. */
  public boolean isCachedIn(Path project) {
    Path dir = folderIn(project);
    return files.stream().allMatch(file -> Files.isRegularFile(dir.resolve(file)));
  }

  /** The boot command for the image cached under {@code project}. */
  public String bootCommand(Path project) {
    return bootHint.replace("DIR", folderIn(project).toString());
  }
}
