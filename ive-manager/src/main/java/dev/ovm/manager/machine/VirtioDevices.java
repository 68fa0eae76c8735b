package dev.ovm.manager.machine;

import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.io.device.Plic;
import dev.ovm.io.virtio.VirtioBlock;
import dev.ovm.io.virtio.VirtioConsole;
import dev.ovm.io.virtio.VirtioDevice;
import dev.ovm.io.virtio.VirtioEntropy;
import dev.ovm.io.virtio.MmioRegisters;
import dev.ovm.io.virtio.VirtioMmioTransport;
import dev.ovm.manager.cli.UserError;
import dev.ovm.memory.GuestRam;
import dev.ovm.memory.SystemBus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The virt board's eight virtio-mmio transports and the devices behind them. As on QEMU's virt,
 * every slot exists (empty ones report device ID 0) and devices fill the slots from the highest
 * address down, drives first, then the other devices in the order given.
 */
final class VirtioDevices implements AutoCloseable {
  private final List<VirtioBlock> blocks;
  private final @Nullable VirtioConsole console;
  private final List<VirtioMmioTransport> transports;

  private VirtioDevices(
      List<VirtioBlock> blocks, @Nullable VirtioConsole console, List<VirtioMmioTransport> transports) {
    this.blocks = blocks;
    this.console = console;
    this.transports = transports;
  }

  /**
   * Opens the configured devices and maps all eight transports on {@code bus}.
   *
   * @throws UserError if a drive cannot be opened
   */
  static VirtioDevices attach(
      MachineConfig config, SystemBus bus, Plic plic, GuestRam ram, IntConsumer output) {
    List<VirtioDevice> devices = new ArrayList<>();
    List<VirtioBlock> blocks = new ArrayList<>();
    VirtioConsole console = null;
    try {
      for (MachineConfig.Drive drive : config.drives()) {
        VirtioBlock block = VirtioBlock.open(drive.file(), drive.readOnly());
        blocks.add(block);
        devices.add(block);
      }
    } catch (IOException e) {
      closeAll(blocks);
      throw new UserError("cannot open drive: " + e.getMessage(), e);
    }
    for (String name : config.devices()) {
      if ("virtio-console".equals(name)) {
        VirtioConsole c = new VirtioConsole(output);
        console = c;
        devices.add(c);
      } else {
        devices.add(new VirtioEntropy());
      }
    }
    List<VirtioMmioTransport> transports = new ArrayList<>();
    for (int slot = VirtMemoryMap.VIRTIO_COUNT - 1; slot >= 0; slot--) {
      int index = VirtMemoryMap.VIRTIO_COUNT - 1 - slot;
      long base = VirtMemoryMap.VIRTIO_BASE + slot * VirtMemoryMap.VIRTIO_SIZE;
      VirtioMmioTransport transport =
          index < devices.size()
              ? new VirtioMmioTransport("virtio" + slot, devices.get(index), ram,
                  plic.source(VirtMemoryMap.VIRTIO_IRQ + slot))
              : VirtioMmioTransport.empty();
      bus.attach(base, transport);
      transports.add(transport);
    }
    return new VirtioDevices(blocks, console, transports);
  }

  /** The virtio console, if the machine has one. */
  @Nullable VirtioConsole console() {
    return console;
  }

  /**
   * Resets every transport and its device as a driver does by writing 0 to Status (virtio 1.2
   * 4.2.2.1): queues not ready, interrupt status clear, features renegotiated. Drives stay open.
   */
  void reset() {
    for (VirtioMmioTransport transport : transports) {
      transport.write(MmioRegisters.STATUS, 4, 0);
    }
  }

  /** Closes the drives' files. */
  @Override
  public void close(@org.checkerframework.checker.lock.qual.GuardSatisfied VirtioDevices this) {
    closeAll(blocks);
  }

  /** Closes every drive; a failure to close one (its data was already flushed) does not stop the rest. */
  private static void closeAll(List<VirtioBlock> blocks) {
    for (VirtioBlock block : blocks) {
      try {
        block.close();
      } catch (IOException e) {
        // nothing to recover: completed writes were made durable before they were reported
      }
    }
  }
}
