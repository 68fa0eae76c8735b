package dev.ovm.io.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.device.DeviceAccessFault;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestFinisherTest {
  private final List<StopReason> stops = new ArrayList<>();
  private final TestFinisher finisher = new TestFinisher(stops::add);

  @Test
  void passPowersOffWithStatusZero() {
    finisher.write(0, 4, 0x5555);
    assertEquals(1, stops.size());
    assertEquals(StopReason.Kind.GUEST_POWER_OFF, stops.get(0).kind());
    assertEquals(0, stops.get(0).exitStatus());
  }

  @Test
  void failCarriesItsCodeAndNeverExitsWithZero() {
    finisher.write(0, 4, (42L << 16) | 0x3333);
    finisher.write(0, 4, 0x3333);
    assertEquals(StopReason.Kind.GUEST_POWER_OFF, stops.get(0).kind());
    assertEquals(42, stops.get(0).exitStatus());
    assertEquals(1, stops.get(1).exitStatus());
  }

  @Test
  void resetAsksForAReset() {
    finisher.write(0, 4, 0x7777);
    assertEquals(StopReason.Kind.GUEST_RESET, stops.get(0).kind());
    assertEquals(0, stops.get(0).exitStatus());
  }

  @Test
  void otherValuesOffsetsAndReadsDoNothing() {
    finisher.write(0, 4, 0x1234);
    finisher.write(0, 4, 0x5556);
    finisher.write(4, 4, 0x5555);
    assertEquals(0, finisher.read(0, 4));
    assertTrue(stops.isEmpty());
  }

  @Test
  void halfwordWritesWorkAndOtherWidthsFault() {
    finisher.write(0, 2, 0x5555);
    assertEquals(0, stops.get(0).exitStatus());
    assertThrows(DeviceAccessFault.class, () -> finisher.write(0, 1, 0x55));
    assertThrows(DeviceAccessFault.class, () -> finisher.write(0, 8, 0x5555));
    assertThrows(DeviceAccessFault.class, () -> finisher.read(0, 8));
  }

  @Test
  void randomAccessesNeverThrowAnythingButAccessFaultsAndFailuresNeverExitZero() {
    qt().withExamples(200)
        .forAll(longs().all())
        .checkAssert(seed -> {
          List<StopReason> seen = new ArrayList<>();
          MmioFuzz.run(new TestFinisher(seen::add), seed, 200, 0);
          for (StopReason stop : seen) {
            assertTrue(stop.detail().contains("pass") == (stop.exitStatus() == 0)
                || stop.kind() == StopReason.Kind.GUEST_RESET);
          }
        });
  }
}
