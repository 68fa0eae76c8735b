package dev.ovm.manager.machine;

import dev.ovm.io.device.Uart16550;
import dev.ovm.memory.GuestRam;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vm;
import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One built virt machine: its VM (harts, timers), its RAM and its console UART. Made by {@link
 * MachineBuilder}; a {@link dev.ovm.vmm.Vmm} runs its VM; it can be {@link #reset}; closing it
 * frees the guest's RAM.
 */
public final class Machine implements AutoCloseable {
  private final Vm vm;
  private final GuestRam ram;
  private final Uart16550 uart;
  private final VirtioDevices virtio;
  /** The VMM's SBI console input, when the VMM serves SBI; else null. */
  private final @Nullable SbiBoard sbi;
  private final MachineReset reset;

  Machine(Vm vm, GuestRam ram, Uart16550 uart, VirtioDevices virtio, @Nullable SbiBoard sbi,
      MachineReset reset) {
    this.vm = vm;
    this.ram = ram;
    this.uart = uart;
    this.virtio = virtio;
    this.sbi = sbi;
    this.reset = reset;
  }

  /** The VM. */
  public Vm vm() {
    return vm;
  }

  /** Instructions retired by all harts. */
  public long retired() {
    return vm.retired();
  }

  /**
   * Delivers one byte typed by the user to the guest's UART (and virtio console and SBI debug
   * console, if any). Thread-safe.
   */
  public void typeKey(int b) {
    uart.receive((byte) b);
    if (sbi != null) {
      sbi.typed((byte) b);
    }
    var console = virtio.console();
    if (console != null) {
      console.receive(new byte[] {(byte) b});
    }
  }

  /** Stops the VM at the user's request (Ctrl-A x), with exit status 0 as QEMU does. Thread-safe. */
  public void quit() {
    quit("quit by the user (Ctrl-A x)");
  }

  /** Stops the VM at the operator's request, with exit status 0 and {@code why}. Thread-safe. */
  public void quit(String why) {
    vm.requestStop(new StopReason(StopReason.Kind.USER, 0, why));
  }

  /**
   * Returns the machine to its just-created state: devices reset, RAM cleared, the boot images
   * and device tree loaded again from the same files, every hart at the entry in M-mode. Call it
   * only while none of the VM's harts runs ({@link dev.ovm.vmm.Vmm#reset} arranges that).
   *
   * @throws dev.ovm.manager.cli.UserError if a boot image can no longer be read; nothing was
   *     changed then
   */
  public void reset() {
    reset.run();
  }

  /** Guest pages currently backed by machine frames (0 once the memory was released). */
  public int residentPages() {
    return ram.residentPages();
  }

  /**
   * Returns the guest's machine frames to the VMM's machine memory (the VM was destroyed or
   * stopped): the RAM maps nothing any more, DMA into it fails. Idempotent; {@link #close()} does it
   * too. The VM must not run afterwards.
   */
  public void releaseMemory() {
    ram.close();
  }

  /** Frees the guest's RAM; the machine must not run afterwards. */
  @Override
  public void close(@GuardSatisfied Machine this) {
    virtio.close();
    ram.close();
  }
}
