package dev.ovm.io.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.ovm.io.virtio.DriverQueue.Buffer;
import dev.ovm.io.virtio.DriverQueue.Used;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtioConsoleTest {
  private static final long FEATURES = Virtio.bit(Virtio.F_VERSION_1);

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final VirtioConsole console = new VirtioConsole(b -> {
    synchronized (output) {
      output.write(b);
    }
  });
  private final TestDriver driver = new TestDriver(console);
  private DriverQueue receive;
  private DriverQueue transmit;

  @AfterEach
  void close() {
    driver.close();
  }

  private void start() {
    List<DriverQueue> queues = driver.start(FEATURES, 16, 16);
    receive = queues.get(VirtioConsole.RECEIVE_QUEUE);
    transmit = queues.get(VirtioConsole.TRANSMIT_QUEUE);
  }

  private String output() {
    synchronized (output) {
      return output.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void identifiesAsConsoleWithTwoQueuesAndEmptyConfig() {
    assertEquals(Virtio.ID_CONSOLE, driver.read(MmioRegisters.DEVICE_ID));
    assertEquals(VirtioMmioTransport.TRANSPORT_FEATURES, driver.deviceFeatures(), "no console features");
    for (int q = 0; q < 2; q++) {
      driver.write(MmioRegisters.QUEUE_SEL, q);
      assertEquals(VirtioConsole.QUEUE_SIZE, driver.read(MmioRegisters.QUEUE_NUM_MAX));
    }
    driver.write(MmioRegisters.QUEUE_SEL, 2);
    assertEquals(0, driver.read(MmioRegisters.QUEUE_NUM_MAX), "no control queues: no MULTIPORT");
    assertEquals(0, driver.readConfig(0, 8));
  }

  @Test
  void transmitSendsReadableBytesToTheSinkInOrder() {
    start();
    transmit.submit(driver.readable(ascii("hello, ")), driver.readable(ascii("world")));
    transmit.submit(driver.readable(new byte[] {(byte) 0xFF, 0, '\n'}));
    transmit.kick();
    assertEquals("hello, world\u00ff\u0000\n", output());
    assertEquals(List.of(new Used(0, 0), new Used(2, 0)), transmit.takeUsed());
    assertTrue(driver.irq.level());
  }

  @Test
  void inputBeforeBuffersArePostedWaitsForThem() {
    start();
    assertEquals(5, console.receive(ascii("ls -l")));
    assertEquals(5, console.pendingInput());
    Buffer buffer = driver.writable(64, 0);
    receive.submit(buffer);
    receive.kick();
    assertEquals(List.of(new Used(0, 5)), receive.takeUsed());
    assertEquals("ls -l", new String(driver.contents(buffer), 0, 5, StandardCharsets.ISO_8859_1));
    assertEquals(0, console.pendingInput());
    assertTrue(driver.irq.level());
  }

  @Test
  void inputBeforeDriverOkIsDeliveredOnActivation() {
    console.receive(ascii("early"));
    assertTrue(driver.negotiate(FEATURES));
    receive = driver.setupQueue(0, 16);
    driver.setupQueue(1, 16);
    Buffer buffer = driver.writable(8, 0);
    receive.submit(buffer);
    receive.kick();
    assertEquals(0, receive.usedIdx(), "nothing before DRIVER_OK");
    driver.driverOk();
    assertEquals(List.of(new Used(0, 5)), receive.takeUsed());
  }

  @Test
  void inputWithPostedBuffersIsDeliveredAtOnceAndSplitAcrossBuffers() {
    start();
    Buffer first = driver.writable(4, 0);
    Buffer second = driver.writable(4, 0);
    receive.submit(first);
    receive.submit(second);
    receive.kick();
    assertTrue(receive.takeUsed().isEmpty(), "no input yet");
    assertEquals(10, console.receive(ascii("0123456789")));
    assertEquals(List.of(new Used(0, 4), new Used(1, 4)), receive.takeUsed());
    assertEquals("0123", new String(driver.contents(first), StandardCharsets.ISO_8859_1));
    assertEquals("4567", new String(driver.contents(second), StandardCharsets.ISO_8859_1));
    assertEquals(2, console.pendingInput(), "the rest waits");
    Buffer third = driver.writable(4, 0);
    receive.submit(third);
    receive.kick();
    assertEquals(List.of(new Used(2, 2)), receive.takeUsed());
  }

  @Test
  void inputBeyondCapacityIsRefused() {
    start();
    byte[] big = new byte[VirtioConsole.INPUT_CAPACITY + 10];
    assertEquals(VirtioConsole.INPUT_CAPACITY, console.receive(big));
    assertEquals(0, console.receive(new byte[1]));
  }

  @Test
  void inputSurvivesReset() {
    start();
    console.receive(ascii("kept"));
    driver.write(MmioRegisters.STATUS, 0);
    start();
    Buffer buffer = driver.writable(8, 0);
    receive.submit(buffer);
    receive.kick();
    assertEquals(List.of(new Used(0, 4)), receive.takeUsed());
  }

  @Test
  void inputFromAnotherThreadWhileTheGuestTransmits() throws InterruptedException {
    start();
    for (int i = 0; i < 16; i++) {
      receive.submit(driver.writable(1, 0));
    }
    receive.kick();
    CountDownLatch done = new CountDownLatch(1);
    Thread input = new Thread(() -> {
      for (int i = 0; i < 16; i++) {
        console.receive(new byte[] {(byte) i});
      }
      done.countDown();
    });
    input.start();
    for (int i = 0; i < 200; i++) {
      transmit.submit(driver.readable(new byte[] {'x'}));
      transmit.kick();
      transmit.takeUsed();
    }
    assertTrue(done.await(10, TimeUnit.SECONDS));
    input.join();
    List<Used> used = receive.takeUsed();
    assertEquals(16, used.size());
    assertTrue(used.stream().allMatch(u -> u.length() == 1));
    char[] expected = new char[200];
    Arrays.fill(expected, 'x');
    assertEquals(new String(expected), output());
  }

  @Test
  void malformedChainNeedsResetAndDropsNothingAfterwards() {
    start();
    transmit.writeDescriptor(0, TestDriver.RAM_BASE, 4, DriverQueue.NEXT, 0);
    transmit.publish(0);
    transmit.kick();
    assertTrue(driver.needsReset());
    assertEquals("", output());
    console.receive(ascii("x"));
    assertEquals(1, console.pendingInput(), "input is held, not lost, while the device is broken");
  }

  @Test
  void receiveBufferOutsideRamNeedsReset() {
    start();
    receive.submit(new Buffer(0x10, 8, true));
    receive.kick();
    console.receive(ascii("abc"));
    assertTrue(driver.needsReset());
  }
}
