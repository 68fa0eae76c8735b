package dev.ovm.io.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ovm.vmm.device.DeviceAccessFault;
import dev.ovm.vmm.time.InstructionClock;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClintTest {
  private final InstructionClock clock = new InstructionClock(1); // one tick per instruction
  private final RecordingLine msip0 = new RecordingLine();
  private final RecordingLine msip1 = new RecordingLine();
  private final RecordingLine mtip0 = new RecordingLine();
  private final RecordingLine mtip1 = new RecordingLine();
  private final Clint clint = new Clint(clock, List.of(msip0, msip1), List.of(mtip0, mtip1));

  private static long mtimecmp(int hart) {
    return Clint.MTIMECMP_BASE + 8L * hart;
  }

  @Test
  void mtimeFollowsTheClockInWholeAndInHalves() {
    clock.retired(0x1_0000_0005L);
    assertEquals(0x1_0000_0005L, clint.read(Clint.MTIME, 8));
    assertEquals(0x5L, clint.read(Clint.MTIME, 4));
    assertEquals(0x1L, clint.read(Clint.MTIME + 4, 4));
  }

  @Test
  void writingMtimeSetsAnOffsetFromTheClock() {
    clock.retired(1000);
    clint.write(Clint.MTIME, 8, 5000);
    assertEquals(5000, clint.read(Clint.MTIME, 8));
    clock.retired(10);
    assertEquals(5010, clint.read(Clint.MTIME, 8));
    clint.write(Clint.MTIME + 4, 4, 2); // high half only
    assertEquals(0x2_0000_1392L, clint.read(Clint.MTIME, 8));
  }

  @Test
  void mtimecmpResetsToAllOnesAndTakesSplitWrites() {
    assertEquals(-1L, clint.read(mtimecmp(0), 8));
    clock.retired(1_000_000);
    clint.poll();
    assertFalse(mtip0.level());
    // RV32 firmware order: high half all ones, low half, then the real high half
    clint.write(mtimecmp(0) + 4, 4, 0xFFFF_FFFFL);
    clint.write(mtimecmp(0), 4, 0x20L);
    assertFalse(mtip0.level()); // 0xFFFFFFFF_00000020 is still far away
    clint.write(mtimecmp(0) + 4, 4, 0);
    assertEquals(0x20L, clint.read(mtimecmp(0), 8));
    assertTrue(mtip0.level()); // mtime 1000000 >= 0x20, updated at once on the write
    assertFalse(mtip1.level());
    assertEquals(0x20L, clint.read(mtimecmp(0), 4));
    assertEquals(0L, clint.read(mtimecmp(0) + 4, 4));
  }

  @Test
  void mtipFollowsTheComparisonOnWritesAndPolls() {
    clock.retired(100);
    clint.write(mtimecmp(1), 8, 150);
    assertFalse(mtip1.level());
    clock.retired(49);
    clint.poll();
    assertFalse(mtip1.level());
    clock.retired(1);
    assertFalse(mtip1.level()); // only a poll notices time passing
    clint.poll();
    assertTrue(mtip1.level()); // mtime == mtimecmp counts
    clint.write(mtimecmp(1), 8, 1000);
    assertFalse(mtip1.level()); // a later compare value clears it at once
    clint.write(Clint.MTIME, 8, 2000);
    assertTrue(mtip1.level()); // so does moving mtime past it
  }

  @Test
  void comparisonIsUnsigned() {
    clint.write(mtimecmp(0), 8, 0x8000_0000_0000_0000L);
    clint.write(Clint.MTIME, 8, 0x7FFF_FFFF_FFFF_FFFFL);
    assertFalse(mtip0.level());
    clint.write(Clint.MTIME, 8, 0x8000_0000_0000_0001L);
    assertTrue(mtip0.level());
  }

  @Test
  void nextDeadlineIsTheEarliestFutureCompareInClockTicks() {
    assertEquals(Long.MAX_VALUE, clint.nextDeadline());
    clock.retired(100);
    clint.write(mtimecmp(0), 8, 300);
    clint.write(mtimecmp(1), 8, 200);
    assertEquals(200, clint.nextDeadline());
    clock.retired(150); // hart 1's compare is now in the past
    clint.poll(); // ... and its MTIP is high
    assertEquals(300, clint.nextDeadline());
    clint.write(Clint.MTIME, 8, 1000); // mtime = clock + 750
    clint.write(mtimecmp(0), 8, 1500);
    assertEquals(750, clint.nextDeadline()); // clock tick at which mtime reaches 1500
    clint.write(mtimecmp(0), 8, -2L); // beyond Long.MAX_VALUE in clock ticks
    assertEquals(Long.MAX_VALUE, clint.nextDeadline());
  }

  @Test
  void aCompareReachedSinceTheLastPollIsDueNowUntilPolled() {
    clint.write(mtimecmp(0), 8, 50);
    clock.retired(80); // the clock passes mtimecmp between two polls: MTIP is not driven yet
    assertFalse(mtip0.level());
    assertEquals(80, clint.nextDeadline()); // due now, not "no deadline" (a false deadlock)
    clint.poll();
    assertTrue(mtip0.level());
    assertEquals(Long.MAX_VALUE, clint.nextDeadline()); // fired and delivered: nothing more to wait for
  }

  @Test
  void msipKeepsOnlyBitZeroAndDrivesItsHart() {
    clint.write(4, 4, 0xFFFF_FFFFL);
    assertTrue(msip1.level());
    assertFalse(msip0.level());
    assertEquals(1, clint.read(4, 4));
    clint.write(4, 4, 2);
    assertFalse(msip1.level());
    assertEquals(0, clint.read(4, 4));
    clint.write(8, 4, 1); // no hart 2: ignored
    assertEquals(0, clint.read(8, 4));
  }

  @Test
  void unsupportedWidthsAndMisalignedAccessesFault() {
    assertThrows(DeviceAccessFault.class, () -> clint.read(0, 8));
    assertThrows(DeviceAccessFault.class, () -> clint.write(0, 1, 1));
    assertThrows(DeviceAccessFault.class, () -> clint.read(Clint.MTIME, 2));
    assertThrows(DeviceAccessFault.class, () -> clint.read(Clint.MTIME + 4, 8));
    assertThrows(DeviceAccessFault.class, () -> clint.write(mtimecmp(0) + 2, 4, 1));
  }

  @Test
  void randomRegisterAccessesNeverThrowAnythingButAccessFaults() {
    qt().withExamples(100)
        .forAll(longs().all())
        .checkAssert(seed -> {
          InstructionClock fuzzClock = new InstructionClock(1);
          Clint fresh = new Clint(fuzzClock, List.of(new RecordingLine()), List.of(new RecordingLine()));
          MmioFuzz.run(fresh, seed, 400, 0, 4, Clint.MTIMECMP_BASE, Clint.MTIMECMP_BASE + 8, Clint.MTIME);
          fresh.poll();
          long deadline = fresh.nextDeadline();
          assertTrue(deadline >= fuzzClock.now());
        });
  }
}
