package dev.ovm.manager.machine;

import dev.ovm.cpu.Hart;
import dev.ovm.cpu.sbi.SbiPlatform;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.memory.GuestMemory;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The board as the VMM's SBI sees it ({@code -bios none} with an S-mode kernel): the harts, guest
 * RAM, the console sink the UART also writes to, the bytes typed at the console (kept for the
 * debug console's read; the UART receives them too), and power control through the same stop
 * path as the test finisher: SRST shutdown ends the VM with status 0; a reboot is a {@link
 * StopReason.Kind#GUEST_RESET} request, which resets the VM when the machine has a reboot handler
 * ({@code ovm run} sets one unless {@code -no-reboot}) and otherwise ends it with status 0 — the
 * same as OpenSBI's reboot through the test finisher.
 *
 * <p>Threads: every method may be called from any hart's thread; typed bytes arrive from the
 * console thread ({@link #typed}).
 */
final class SbiBoard implements SbiPlatform {
  /** Typed bytes kept for the SBI console; older ones are dropped when it is full. */
  private static final int INPUT_CAPACITY = 4096;

  private final List<Hart> harts;
  private final GuestMemory memory;
  private final IntConsumer console;
  private final Consumer<StopReason> powerOff;
  private final BlockingQueue<Byte> input = new ArrayBlockingQueue<>(INPUT_CAPACITY);

  SbiBoard(List<Hart> harts, GuestMemory memory, IntConsumer console, Consumer<StopReason> powerOff) {
    this.harts = List.copyOf(harts);
    this.memory = memory;
    this.console = console;
    this.powerOff = powerOff;
  }

  @Override
  public List<Hart> harts() {
    return harts;
  }

  @Override
  public GuestMemory memory() {
    return memory;
  }

  @Override
  public void consoleWrite(byte[] bytes, int length) {
    for (int i = 0; i < length && i < bytes.length; i++) {
      console.accept(bytes[i] & 0xFF);
    }
  }

  @Override
  public int consoleRead() {
    Byte b = input.poll();
    return b == null ? -1 : b & 0xFF;
  }

  /** A byte typed at the console. Thread-safe; drops the oldest byte when the buffer is full. */
  void typed(byte b) {
    while (!input.offer(b)) {
      input.poll();
    }
  }

  @Override
  public void systemReset(int type, int reason) {
    String why = reason == 1 ? " (system failure)" : "";
    if (type == 0) {
      powerOff.accept(new StopReason(StopReason.Kind.GUEST_POWER_OFF, 0, "SBI SRST: shutdown" + why));
    } else {
      powerOff.accept(new StopReason(StopReason.Kind.GUEST_RESET, 0,
          "SBI SRST: " + (type == 1 ? "cold" : "warm") + " reboot" + why));
    }
  }
}
