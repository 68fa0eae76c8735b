package dev.ovm.io.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.ovm.io.virtio.DriverQueue.Buffer;
import dev.ovm.io.virtio.DriverQueue.Used;
import java.io.ByteArrayOutputStream;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stress: a host input thread pushes a long byte sequence into the console while the "guest"
 * (this thread) keeps posting small receive buffers and transmitting. Every input byte must arrive
 * exactly once and in order, and the transmitted bytes must reach the sink intact.
 */
class VirtioConsoleConcurrencyTest {
  private static final int INPUT_BYTES = 200_000;

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final VirtioConsole console = new VirtioConsole(output::write);
  private final TestDriver driver = new TestDriver(console);

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void inputArrivesOnceAndInOrderWhileTheGuestTransmits() throws InterruptedException {
    List<DriverQueue> queues = driver.start(Virtio.bit(Virtio.F_VERSION_1), 16, 16);
    DriverQueue receive = queues.get(VirtioConsole.RECEIVE_QUEUE);
    DriverQueue transmit = queues.get(VirtioConsole.TRANSMIT_QUEUE);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread input = new Thread(() -> {
      try {
        byte[] chunk = new byte[97];
        int sent = 0;
        while (sent < INPUT_BYTES) {
          int n = Math.min(chunk.length, INPUT_BYTES - sent);
          for (int i = 0; i < n; i++) {
            chunk[i] = (byte) ((sent + i) % 251);
          }
          byte[] piece = java.util.Arrays.copyOf(chunk, n);
          int taken = console.receive(piece);
          sent += taken;
          if (taken < n) {
            Thread.onSpinWait(); // the console's buffer is full: wait for the guest
          }
        }
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    input.start();

    // 16 receive buffers of 7 bytes each, recycled as the device returns them
    ArrayDeque<Buffer> free = new ArrayDeque<>();
    Buffer[] byHead = new Buffer[16];
    for (int i = 0; i < 16; i++) {
      free.add(driver.writable(7, 0));
    }
    int received = 0;
    int transmitted = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (received < INPUT_BYTES && System.nanoTime() < deadline) {
      while (!free.isEmpty()) {
        Buffer buffer = free.poll();
        byHead[receive.submit(buffer)] = buffer;
      }
      receive.kick();
      if (transmitted < 1000) {
        transmit.submit(driver.readable(new byte[] {(byte) ('a' + transmitted % 26)}));
        transmit.kick();
        assertEquals(1, transmit.takeUsed().size());
        transmitted++;
      }
      VarHandle.acquireFence(); // completions may come from the input thread
      for (Used used : receive.takeUsed()) {
        Buffer buffer = byHead[used.id()];
        byte[] bytes = driver.contents(buffer);
        for (int i = 0; i < used.length(); i++) {
          assertEquals((byte) (received % 251), bytes[i], "byte " + received);
          received++;
        }
        free.add(buffer);
      }
    }
    input.join(TimeUnit.SECONDS.toMillis(10));
    assertNull(failure.get());
    assertEquals(INPUT_BYTES, received);
    assertFalse(driver.needsReset());
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      expected.append((char) ('a' + i % 26));
    }
    assertEquals(expected.toString(), output.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
