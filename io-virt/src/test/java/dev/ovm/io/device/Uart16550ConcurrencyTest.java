package dev.ovm.io.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An input thread feeds the UART while the "guest" (this thread) drains it through the registers:
 * every byte must arrive exactly once and in order, with no overrun, whatever the interleaving.
 */
class Uart16550ConcurrencyTest {
  private static final int BYTES = 200_000;

  /** The byte the input thread sends as number {@code i}: a pattern that exposes loss or duplication. */
  private static int pattern(int i) {
    return (i * 7 + i / 251) & 0xFF;
  }

  private static void feedAndDrain(boolean fifo) throws Exception {
    RecordingLine irq = new RecordingLine();
    Uart16550 uart = new Uart16550(b -> {}, irq);
    uart.write(2, 1, fifo ? 0x01 : 0x00);
    uart.write(1, 1, 0x01); // ERBFI, so the interrupt path is exercised too
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread input = new Thread(() -> {
      try {
        for (int i = 0; i < BYTES; i++) {
          while (!uart.tryReceive((byte) pattern(i))) {
            Thread.onSpinWait();
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "uart-input");
    input.start();
    int received = 0;
    while (received < BYTES) {
      int lsr = (int) uart.read(5, 1);
      assertEquals(0, lsr & 0x02, "overrun at byte " + received);
      if ((lsr & 0x01) != 0) {
        assertEquals(pattern(received), (int) uart.read(0, 1), "byte " + received);
        received++;
      }
    }
    input.join();
    assertEquals(null, failure.get());
    assertEquals(0x60, uart.read(5, 1)); // nothing left over: no duplicate
    assertEquals(false, irq.level());
  }

  @Test
  void everyByteArrivesOnceAndInOrderWithFifo() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> feedAndDrain(true));
  }

  @Test
  void everyByteArrivesOnceAndInOrderWithoutFifo() {
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> feedAndDrain(false));
  }
}
