package dev.ovm.io.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.vmm.device.DeviceAccessFault;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlicTest {
  private final RecordingLine meip0 = new RecordingLine();
  private final RecordingLine seip0 = new RecordingLine();
  private final RecordingLine meip1 = new RecordingLine();
  private final RecordingLine seip1 = new RecordingLine();
  private final Plic plic = new Plic(List.of(meip0, meip1), List.of(seip0, seip1));

  private void priority(int source, int value) {
    plic.write(4L * source, 4, value);
  }

  private void enable(int context, int source) {
    long offset = Plic.ENABLE_BASE + Plic.ENABLE_STRIDE * context + 4L * (source / 32);
    plic.write(offset, 4, plic.read(offset, 4) | (1L << (source % 32)));
  }

  private void threshold(int context, int value) {
    plic.write(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE * context, 4, value);
  }

  private int claim(int context) {
    return (int) plic.read(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE * context + Plic.CLAIM_OFFSET, 4);
  }

  private void complete(int context, int source) {
    plic.write(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE * context + Plic.CLAIM_OFFSET, 4, source);
  }

  private long pendingWord(int word) {
    return plic.read(Plic.PENDING_BASE + 4L * word, 4);
  }

  @Test
  void claimTakesHighestPriorityThenLowestIdAndClearsPending() {
    for (int source : new int[] {3, 5, 7}) {
      priority(source, source == 3 ? 2 : 5);
      enable(0, source);
      plic.source(source).set(true);
    }
    assertTrue(meip0.level());
    assertEquals((1L << 3) | (1L << 5) | (1L << 7), pendingWord(0));
    assertEquals(5, claim(0)); // priority 5 tie between 5 and 7: lowest ID
    assertEquals((1L << 3) | (1L << 7), pendingWord(0));
    assertEquals(7, claim(0));
    assertEquals(3, claim(0));
    assertFalse(meip0.level());
    assertEquals(0, claim(0)); // nothing left
  }

  @Test
  void onlyPrioritiesAboveTheThresholdInterrupt() {
    priority(1, 3);
    enable(0, 1);
    threshold(0, 3);
    plic.source(1).set(true);
    assertFalse(meip0.level());
    assertEquals(0, claim(0));
    threshold(0, 2);
    assertTrue(meip0.level());
    assertEquals(1, claim(0));
  }

  @Test
  void priorityZeroNeverInterruptsAndPriorityAndThresholdKeepThreeBits() {
    enable(0, 9);
    plic.source(9).set(true);
    assertFalse(meip0.level());
    priority(9, 0xFF);
    assertEquals(7, plic.read(4L * 9, 4));
    threshold(0, 0x1F);
    assertEquals(7, plic.read(Plic.CONTEXT_BASE, 4));
    assertFalse(meip0.level());
    threshold(0, 6);
    assertTrue(meip0.level());
  }

  @Test
  void levelGatewayRependsAfterCompletionWhileAsserted() {
    priority(10, 1);
    enable(0, 10);
    plic.source(10).set(true);
    assertEquals(10, claim(0));
    assertFalse(meip0.level()); // claimed: the asserted line cannot re-pend
    plic.source(10).set(true);
    assertEquals(0, pendingWord(0));
    assertFalse(meip0.level());
    complete(0, 10);
    assertEquals(1L << 10, pendingWord(0)); // still asserted: pending again
    assertTrue(meip0.level());
    plic.source(10).set(false); // withdrawn before the claim (QEMU's level semantics)
    assertEquals(0, pendingWord(0));
    assertFalse(meip0.level());
    assertEquals(10, claimAfterAssert(10));
    plic.source(10).set(false);
    complete(0, 10);
    assertEquals(0, pendingWord(0)); // deasserted by completion time: no new request
  }

  private int claimAfterAssert(int source) {
    plic.source(source).set(true);
    return claim(0);
  }

  @Test
  void completionByAContextThatDidNotClaimIsIgnored() {
    priority(4, 1);
    enable(0, 4);
    enable(1, 4);
    plic.source(4).set(true);
    assertEquals(4, claim(0));
    complete(1, 4); // hart 0 S-mode did not claim it
    assertEquals(0, pendingWord(0));
    assertEquals(0, claim(1));
    complete(0, 0x55); // not claimed by anyone
    complete(0, 4);
    assertEquals(1L << 4, pendingWord(0));
    assertEquals(4, claim(1));
  }

  @Test
  void contextsAreSeparate() {
    priority(2, 1);
    enable(3, 2); // hart 1, S-mode
    plic.source(2).set(true);
    assertTrue(seip1.level());
    assertFalse(meip0.level());
    assertFalse(seip0.level());
    assertFalse(meip1.level());
    assertEquals(0, claim(0));
    assertEquals(0, claim(2));
    threshold(3, 1);
    assertFalse(seip1.level());
    threshold(3, 0);
    assertEquals(2, claim(3));
    assertFalse(seip1.level());
  }

  @Test
  void sourceZeroAndMissingSourcesAreNotImplementedAndPendingIsReadOnly() {
    long enable0 = Plic.ENABLE_BASE;
    plic.write(enable0, 4, 0xFFFF_FFFFL);
    assertEquals(0xFFFF_FFFEL, plic.read(enable0, 4));
    priority(0, 7);
    assertEquals(0, plic.read(0, 4));
    plic.write(Plic.PENDING_BASE, 4, 0xFFFF_FFFFL);
    assertEquals(0, pendingWord(0));
    plic.source(VirtMemoryMap.PLIC_SOURCES).set(true);
    assertEquals(1L << (VirtMemoryMap.PLIC_SOURCES % 32), pendingWord(VirtMemoryMap.PLIC_SOURCES / 32));
    assertThrows(IllegalArgumentException.class, () -> plic.source(0));
    assertThrows(IllegalArgumentException.class, () -> plic.source(VirtMemoryMap.PLIC_SOURCES + 1));
    // contexts beyond the two harts read 0 and ignore writes
    threshold(4, 5);
    assertEquals(0, plic.read(Plic.CONTEXT_BASE + 4 * Plic.CONTEXT_STRIDE, 4));
    assertEquals(4, plic.contexts());
  }

  @Test
  void onlyAlignedWordAccessesAreAccepted() {
    assertThrows(DeviceAccessFault.class, () -> plic.read(4, 1));
    assertThrows(DeviceAccessFault.class, () -> plic.read(8, 8));
    assertThrows(DeviceAccessFault.class, () -> plic.write(6, 4, 1));
    assertThrows(DeviceAccessFault.class, () -> plic.write(Plic.CONTEXT_BASE, 2, 1));
  }

  @Test
  void randomRegisterAccessesOnlyFaultAndKeepTheOutputsConsistent() {
    qt().withExamples(100)
        .forAll(longs().all())
        .checkAssert(seed -> {
          RecordingLine meip = new RecordingLine();
          RecordingLine seip = new RecordingLine();
          Plic fresh = new Plic(List.of(meip), List.of(seip));
          for (int s = 1; s <= VirtMemoryMap.PLIC_SOURCES; s += 7) {
            fresh.source(s).set(true);
          }
          MmioFuzz.run(fresh, seed, 400, 0x28, Plic.PENDING_BASE, Plic.ENABLE_BASE, Plic.ENABLE_BASE + 0x80,
              Plic.CONTEXT_BASE, Plic.CONTEXT_BASE + 4, Plic.CONTEXT_BASE + 0x1004, Plic.CONTEXT_BASE + 0x2004);
          // each output line says whether its context has something to claim
          boolean machine = meip.level();
          boolean supervisor = seip.level();
          assertEquals(machine, fresh.read(Plic.CONTEXT_BASE + Plic.CLAIM_OFFSET, 4) != 0);
          assertEquals(supervisor, fresh.read(Plic.CONTEXT_BASE + Plic.CONTEXT_STRIDE + Plic.CLAIM_OFFSET, 4) != 0);
        });
  }
}
