package dev.ovm.io.device;

import dev.ovm.vmm.Platform;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.memory.GuestMemory;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.checkerframework.common.value.qual.MinLen;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

/**
 * Spike's host-target interface, for bare-metal ELF programs (riscv-tests, newlib HTIF ports) that
 * define a {@code tohost} symbol: the guest writes a 64-bit command to {@code tohost} in RAM and
 * the host polls it. A command is {@code device} (bits 63:56), {@code cmd} (55:48) and {@code
 * payload} (47:0):
 *
 * <ul>
 *   <li>device 0, cmd 0, payload bit 0 set: exit with code {@code payload >>> 1}; 0 passes (exit
 *       status 0), any other code fails with that exit status. riscv-tests write {@code (TESTNUM
 *       << 1) | 1} on failure, so the code is the number of the failing test.
 *   <li>device 0, cmd 0, payload bit 0 clear: a pointer to a proxy-kernel system call, which ovm
 *       does not provide: the run stops with {@link StopReason.Kind#GUEST_FAILURE}.
 *   <li>device 1, cmd 1: write the character {@code payload & 0xff} to the console, then
 *       acknowledge through {@code fromhost} with {@code (device << 56) | (cmd << 48) | 1}.
 *   <li>anything else (console reads among them): consumed and ignored.
 * </ul>
 *
 * After a command is consumed {@code tohost} is cleared. After the first stop the device is inert
 * (riscv-tests keep rewriting {@code tohost} in a loop after they finish).
 *
 * <p>It is a {@link Platform}: the VM run loop calls {@link #poll()} between quanta. Thread
 * safety: one lock ({@code lock}) makes a poll atomic; while holding it the device reads and
 * writes guest RAM (lock-free) and calls the console sink and the stop consumer, which must not
 * call back into this device.
 */
public final class Htif implements Platform {
  /** No {@code fromhost} symbol: console output is not acknowledged. */
  public static final long NO_FROMHOST = -1L;

  private static final int DEVICE_SYSTEM = 0;
  private static final int DEVICE_CONSOLE = 1;
  private static final int CONSOLE_PUTCHAR = 1;
  private static final long PAYLOAD_MASK = (1L << 48) - 1;

  /** The mutable state; guarded by {@code lock}. */
  private static final class State {
    /** Little-endian image of one 64-bit word. */
    final byte @MinLen(8) [] word = new byte[8];
    /** True once the guest has exited; polls do nothing after that. */
    boolean stopped;
  }

  private final GuestMemory memory;
  private final long tohost;
  private final long fromhost;
  private final IntConsumer console;
  private final Consumer<StopReason> stop;
  private final Object lock = new Object();
  private final @GuardedBy("lock") State state = new State();

  /**
   * Creates the interface.
   *
   * @param memory the guest's RAM
   * @param tohost guest-physical address of the {@code tohost} symbol
   * @param fromhost guest-physical address of {@code fromhost}, or {@link #NO_FROMHOST}
   * @param console receives each character the guest prints
   * @param stop receives the stop reason when the guest exits
   * @throws IllegalArgumentException if {@code tohost} (or a given {@code fromhost}) is not an
   *     8-byte word inside RAM
   */
  public Htif(GuestMemory memory, long tohost, long fromhost, IntConsumer console, Consumer<StopReason> stop) {
    if (!memory.contains(tohost, 8) || (fromhost != NO_FROMHOST && !memory.contains(fromhost, 8))) {
      throw new IllegalArgumentException(String.format("tohost 0x%x / fromhost 0x%x not in RAM", tohost, fromhost));
    }
    this.memory = memory;
    this.tohost = tohost;
    this.fromhost = fromhost;
    this.console = console;
    this.stop = stop;
  }

  /** Creates the interface for a program without a {@code fromhost} symbol. */
  public Htif(GuestMemory memory, long tohost, IntConsumer console, Consumer<StopReason> stop) {
    this(memory, tohost, NO_FROMHOST, console, stop);
  }

  /** Consumes the command in {@code tohost}, if any. */
  @Override
  public void poll() {
    synchronized (lock) {
      if (state.stopped) {
        return;
      }
      long command = readWord(tohost);
      if (command == 0) {
        return;
      }
      int device = (int) ((command >> 56) & 0xFF);
      int cmd = (int) ((command >> 48) & 0xFF);
      long payload = command & PAYLOAD_MASK;
      writeWord(tohost, 0);
      if (device == DEVICE_SYSTEM && cmd == 0) {
        state.stopped = true;
        stop.accept(exitReason(command, payload));
      } else if (device == DEVICE_CONSOLE && cmd == CONSOLE_PUTCHAR) {
        console.accept((int) (payload & 0xFF));
        if (fromhost != NO_FROMHOST) {
          writeWord(fromhost, ((long) device << 56) | ((long) cmd << 48) | 1);
        }
      }
    }
  }

  private static StopReason exitReason(long command, long payload) {
    if ((payload & 1) == 0) {
      return new StopReason(StopReason.Kind.GUEST_FAILURE, 1, String.format(
          "HTIF: proxy-kernel system call (tohost=0x%x) is not supported", command));
    }
    long code = payload >> 1;
    if (code == 0) {
      return new StopReason(StopReason.Kind.GUEST_POWER_OFF, 0, "HTIF: pass");
    }
    int exitStatus = (int) Math.min(code, Integer.MAX_VALUE);
    return new StopReason(StopReason.Kind.GUEST_POWER_OFF, exitStatus,
        "HTIF: fail, test " + code + " (riscv-tests TESTNUM; tohost=0x" + Long.toHexString(command) + ")");
  }

  /** HTIF raises no timer interrupts. */
  @Override
  public long nextDeadline() {
    return Long.MAX_VALUE;
  }

  @Holding("lock")
  private long readWord(long address) {
    memory.read(address, state.word, 0, 8);
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (state.word[i] & 0xFFL);
    }
    return value;
  }

  @Holding("lock")
  private void writeWord(long address, long value) {
    for (int i = 0; i < 8; i++) {
      state.word[i] = (byte) (value >> (8 * i));
    }
    memory.write(address, state.word, 0, 8);
  }

  /** Device reset: a guest that exited through HTIF may do so again after its VM is reset. */
  public void reset() {
    synchronized (lock) {
      state.stopped = false;
    }
  }
}
