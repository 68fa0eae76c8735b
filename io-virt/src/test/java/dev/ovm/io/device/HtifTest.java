package dev.ovm.io.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.memory.GuestRam;
import dev.ovm.vmm.StopReason;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HtifTest {
  private static final long TOHOST = VirtMemoryMap.DRAM_BASE + 0x1000;
  private static final long FROMHOST = VirtMemoryMap.DRAM_BASE + 0x1040;

  private final GuestRam ram = new GuestRam(VirtMemoryMap.DRAM_BASE, 0x4000);
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final List<StopReason> stops = new ArrayList<>();
  private final Htif htif = new Htif(ram, TOHOST, FROMHOST, console::write, stops::add);

  @AfterEach
  void freeRam() {
    ram.close();
  }

  private void tohost(long value) {
    ram.store64(ram.offsetOf(TOHOST, 8), value);
  }

  private long word(long gpa) {
    return ram.load64(ram.offsetOf(gpa, 8));
  }

  @Test
  void putcharWritesTheConsoleClearsTohostAndAcknowledges() {
    tohost((1L << 56) | (1L << 48) | 'o');
    htif.poll();
    tohost((1L << 56) | (1L << 48) | 0x100 | 'k'); // only the low byte is the character
    htif.poll();
    assertEquals("ok", console.toString());
    assertEquals(0, word(TOHOST));
    assertEquals((1L << 56) | (1L << 48) | 1, word(FROMHOST));
    assertTrue(stops.isEmpty());
  }

  @Test
  void exitZeroPassesOnceAndLaterCommandsAreIgnored() {
    tohost(1);
    htif.poll();
    assertEquals(1, stops.size());
    assertEquals(StopReason.Kind.GUEST_POWER_OFF, stops.get(0).kind());
    assertEquals(0, stops.get(0).exitStatus());
    tohost(1); // riscv-tests keep writing tohost
    htif.poll();
    assertEquals(1, stops.size());
  }

  @Test
  void failingTestNumberBecomesTheExitStatus() {
    tohost((5L << 1) | 1);
    htif.poll();
    assertEquals(StopReason.Kind.GUEST_POWER_OFF, stops.get(0).kind());
    assertEquals(5, stops.get(0).exitStatus());
    assertTrue(stops.get(0).detail().contains("test 5"), stops.get(0).detail());
  }

  @Test
  void systemCallsAreRefusedWithAClearFailure() {
    tohost(VirtMemoryMap.DRAM_BASE + 0x2000); // a pointer to a syscall block: bit 0 clear
    htif.poll();
    assertEquals(StopReason.Kind.GUEST_FAILURE, stops.get(0).kind());
    assertNotEquals(0, stops.get(0).exitStatus());
    assertTrue(stops.get(0).detail().contains("not supported"));
  }

  @Test
  void emptyTohostAndUnknownCommandsDoNothingVisible() {
    htif.poll();
    tohost((1L << 56) | 'x'); // console read request: not supported, consumed
    htif.poll();
    assertEquals(0, word(TOHOST));
    assertEquals("", console.toString());
    assertTrue(stops.isEmpty());
    assertEquals(Long.MAX_VALUE, htif.nextDeadline());
  }

  @Test
  void withoutFromhostOutputIsNotAcknowledged() {
    Htif plain = new Htif(ram, TOHOST, console::write, stops::add);
    tohost((1L << 56) | (1L << 48) | 'z');
    plain.poll();
    assertEquals("z", console.toString());
    assertEquals(0, word(FROMHOST));
  }

  @Test
  void symbolsOutsideRamAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Htif(ram, 0x1000, b -> {}, s -> {}));
    assertThrows(IllegalArgumentException.class,
        () -> new Htif(ram, TOHOST, VirtMemoryMap.DRAM_BASE + 0x3FFC, b -> {}, s -> {}));
  }

  @Test
  void randomTohostValuesNeverThrowAndAlwaysGetConsumed() {
    qt().withExamples(300)
        .forAll(longs().all())
        .checkAssert(value -> {
          tohost(value);
          new Htif(ram, TOHOST, FROMHOST, b -> {}, s -> {}).poll();
          assertEquals(0, word(TOHOST));
        });
  }
}
