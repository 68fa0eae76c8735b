package dev.ovm.io.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.ovm.io.virtio.DriverQueue.Buffer;
import dev.ovm.io.virtio.DriverQueue.Used;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtioEntropyTest {
  private static final long FEATURES = Virtio.bit(Virtio.F_VERSION_1);

  private final TestDriver driver = new TestDriver(new VirtioEntropy(new Random(42)));
  private DriverQueue queue;

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void identifiesAsEntropyDevice() {
    assertEquals(Virtio.ID_ENTROPY, driver.read(MmioRegisters.DEVICE_ID));
    driver.write(MmioRegisters.QUEUE_SEL, 0);
    assertEquals(VirtioEntropy.QUEUE_SIZE, driver.read(MmioRegisters.QUEUE_NUM_MAX));
  }

  @Test
  void fillsWritableBuffersFromTheRandomSource() {
    queue = driver.start(FEATURES, 8).getFirst();
    Buffer buffer = driver.writable(64, 0);
    queue.submit(buffer);
    queue.kick();
    assertEquals(List.of(new Used(0, 64)), queue.takeUsed());
    byte[] expected = new byte[256];
    new Random(42).nextBytes(expected);
    assertArrayEquals(Arrays.copyOf(expected, 64), driver.contents(buffer));
    assertTrue(driver.irq.level());
  }

  @Test
  void fillsEverySegmentAndSkipsReadableOnes() {
    queue = driver.start(FEATURES, 8).getFirst();
    Buffer readable = driver.readable(new byte[] {1, 2, 3});
    Buffer a = driver.writable(300, 0);
    Buffer b = driver.writable(5, 0);
    queue.submit(readable, a, b);
    queue.kick();
    assertEquals(List.of(new Used(0, 305)), queue.takeUsed());
    assertArrayEquals(new byte[] {1, 2, 3}, driver.contents(readable));
    assertNotEquals(0, Arrays.hashCode(driver.contents(a)));
    assertFalse(Arrays.equals(new byte[5], driver.contents(b)), "the second segment is filled too");
  }

  @Test
  void largeRequestsAreCapped() {
    queue = driver.start(FEATURES, 8).getFirst();
    Buffer big = driver.writable(VirtioEntropy.MAX_BYTES_PER_REQUEST + 4096, 0);
    queue.submit(big);
    queue.kick();
    assertEquals(List.of(new Used(0, VirtioEntropy.MAX_BYTES_PER_REQUEST)), queue.takeUsed());
    byte[] tail = Arrays.copyOfRange(driver.contents(big), VirtioEntropy.MAX_BYTES_PER_REQUEST, big.length());
    assertArrayEquals(new byte[4096], tail, "nothing written past the used length");
  }

  @Test
  void chainWithoutWritableBuffersGetsNothing() {
    queue = driver.start(FEATURES, 8).getFirst();
    queue.submit(driver.readable(new byte[8]));
    queue.kick();
    assertEquals(List.of(new Used(0, 0)), queue.takeUsed());
  }

  @Test
  void malformedChainNeedsResetAndResetRecovers() {
    queue = driver.start(FEATURES, 8).getFirst();
    queue.submit(driver.writable(0, 0));
    queue.kick();
    assertTrue(driver.needsReset());
    queue = driver.start(FEATURES, 8).getFirst();
    queue.submit(driver.writable(16, 0));
    queue.kick();
    assertEquals(List.of(new Used(0, 16)), queue.takeUsed());
    assertFalse(driver.needsReset());
  }

  @Test
  void defaultConstructorUsesSecureRandom() {
    TestDriver secure = new TestDriver(new VirtioEntropy());
    try {
      DriverQueue q = secure.start(FEATURES, 8).getFirst();
      Buffer buffer = secure.writable(32, 0);
      q.submit(buffer);
      q.kick();
      assertEquals(List.of(new Used(0, 32)), q.takeUsed());
      assertFalse(Arrays.equals(new byte[32], secure.contents(buffer)));
    } finally {
      secure.close();
    }
  }
}
