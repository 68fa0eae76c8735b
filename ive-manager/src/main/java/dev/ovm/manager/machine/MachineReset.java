package dev.ovm.manager.machine;

import dev.ovm.io.device.Clint;
import dev.ovm.io.device.Htif;
import dev.ovm.io.device.Plic;
import dev.ovm.io.device.Uart16550;
import dev.ovm.manager.cli.UserError;
import dev.ovm.memory.GuestRam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The recipe of a machine reset, the counterpart of {@link MachineBuilder#build()}: check that the
 * boot images can still be read, reset the devices (those that drive interrupt lines before the
 * PLIC, so its gateways see the lines low), clear RAM, and boot again as at creation.
 */
final class MachineReset implements Runnable {
  private final MachineConfig config;
  private final GuestRam ram;
  private final Uart16550 uart;
  private final VirtioDevices virtio;
  private final Clint clint;
  private final @Nullable Htif htif;
  private final Plic plic;
  private final Runnable boot;

  MachineReset(MachineConfig config, GuestRam ram, Uart16550 uart, VirtioDevices virtio, Clint clint,
      @Nullable Htif htif, Plic plic, Runnable boot) {
    this.config = config;
    this.ram = ram;
    this.uart = uart;
    this.virtio = virtio;
    this.clint = clint;
    this.htif = htif;
    this.plic = plic;
    this.boot = boot;
  }

  /**
   * Resets the machine.
   *
   * @throws UserError before anything changed if a boot image is no longer readable
   */
  @Override
  public void run() {
    checkImagesReadable();
    uart.reset();
    virtio.reset();
    clint.reset();
    Htif h = htif;
    if (h != null) {
      h.reset();
    }
    plic.reset();
    ram.discardAll();
    boot.run();
  }

  private void checkImagesReadable() {
    List<Path> files = new ArrayList<>();
    config.bios().ifPresent(files::add);
    config.kernel().ifPresent(files::add);
    config.initrd().ifPresent(files::add);
    for (Path file : files) {
      if (!Files.isReadable(file)) {
        throw new UserError("cannot reset " + config.name() + ": " + file + " is no longer readable");
      }
    }
  }
}
