package dev.ovm.manager.machine;

import dev.ovm.cpu.Hart;
import dev.ovm.cpu.TranslationStatistics;
import dev.ovm.io.device.Uart16550;
import dev.ovm.memory.GuestRam;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vcpu;
import dev.ovm.vmm.Vm;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One built virt machine: its VM (harts, timers), its RAM and its console UART. Made by {@link
 * MachineBuilder}; a {@link dev.ovm.vmm.Vmm} runs its VM; it can be {@link #reset}; closing it
 * frees the guest's RAM.
 */
public final class Machine implements AutoCloseable {
  /** How long a typed byte waits for room in the UART's receiver before it overruns. */
  public static final long TYPE_AHEAD_WAIT_MILLIS = 500;

  private static final long POLL_NANOS = 200_000;

  private final Vm vm;
  private final GuestRam ram;
  private final Uart16550 uart;
  private final VirtioDevices virtio;
  /** The VMM's SBI console input, when the VMM serves SBI; else null. */
  private final @Nullable SbiBoard sbi;
  private final MachineReset reset;
  /** A typed byte found the UART's receiver full for a whole wait: later bytes do not wait. */
  private volatile boolean uartStalled;
  private final AtomicReference<@Nullable Runnable> rebootHandler;

  Machine(Vm vm, GuestRam ram, Uart16550 uart, VirtioDevices virtio, @Nullable SbiBoard sbi,
      MachineReset reset, AtomicReference<@Nullable Runnable> rebootHandler) {
    this.vm = vm;
    this.ram = ram;
    this.uart = uart;
    this.virtio = virtio;
    this.sbi = sbi;
    this.reset = reset;
    this.rebootHandler = rebootHandler;
  }

  /**
   * Sets what happens when the guest asks for a reboot (SBI SRST cold or warm reboot, the test
   * finisher's reset value, as Linux's {@code reboot} does). {@code handler} runs on the thread of
   * the hart that asked, in the middle of its instruction, so it must only arrange the reset (e.g.
   * {@code vmm.submit(v -> v.reset(vm, machine::reset))}), never do it. With no handler (the
   * default, and QEMU's {@code -no-reboot}) a reboot request ends the VM with status 0.
   * Thread-safe.
   *
   * @param handler the handler, or null to end the VM on a reboot request
   */
  public void onGuestReboot(@Nullable Runnable handler) {
    rebootHandler.set(handler);
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
   * What block translation did on all harts, summed; null if it is off ({@code -accel interp}).
   */
  public @Nullable TranslationStatistics translationStatistics() {
    TranslationStatistics sum = null;
    for (Vcpu vcpu : vm.vcpus()) {
      if (vcpu instanceof Hart hart) {
        TranslationStatistics one = hart.translationStatistics();
        if (one != null) {
          sum = sum == null ? one : sum.plus(one);
        }
      }
    }
    return sum;
  }

  /**
   * Delivers one byte typed by the user to the guest's UART (and virtio console and SBI debug
   * console, if any), with flow control as QEMU's serial back end has it: while the UART's
   * receiver is full the byte waits, {@code wake} nudging the VMM to run the guest so that it
   * drains the receiver, for at most {@link #TYPE_AHEAD_WAIT_MILLIS} ms; after that it is
   * delivered anyway and overruns (LSR.OE), and later bytes do not wait until the guest reads the
   * UART again — so a guest that does not use the UART (e.g. one on the SBI console) neither blocks
   * the caller (and the Ctrl-A escapes behind it) nor slows typing. Pasted lines longer than the
   * 16-byte FIFO thus arrive whole. Thread-safe; may block the caller.
   */
  public void typeKey(int b, Runnable wake) {
    if (sbi != null) {
      sbi.typed((byte) b);
    }
    if (uart.tryReceive((byte) b)) {
      uartStalled = false; // there was room: the guest reads the UART
    } else if (uartStalled) {
      uart.receive((byte) b); // still not reading: an overrun, without waiting again
    } else {
      awaitRoom((byte) b, wake);
    }
    wake.run();
    var console = virtio.console();
    if (console != null) {
      console.receive(new byte[] {(byte) b});
    }
  }

  /** Waits for room in the UART's receiver, at most {@link #TYPE_AHEAD_WAIT_MILLIS} ms. */
  private void awaitRoom(byte b, Runnable wake) {
    long deadline = System.nanoTime() + TYPE_AHEAD_WAIT_MILLIS * 1_000_000L;
    while (!uart.tryReceive(b)) {
      wake.run();
      if (System.nanoTime() - deadline > 0) {
        uartStalled = true;
        uart.receive(b); // the guest does not read: an overrun, as on the hardware
        return;
      }
      LockSupport.parkNanos(POLL_NANOS);
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
