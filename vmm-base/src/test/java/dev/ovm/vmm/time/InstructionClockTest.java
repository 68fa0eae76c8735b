package dev.ovm.vmm.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import org.junit.jupiter.api.Test;

class InstructionClockTest {

  @Test
  void ticksAreRetiredInstructionsDividedByTheRateWhateverTheChunking() {
    qt().forAll(integers().between(1, 50), lists().of(integers().between(0, 100_000)).ofSizeBetween(0, 40))
        .checkAssert(
            (rate, chunks) -> {
              InstructionClock clock = new InstructionClock(rate);
              long total = 0;
              for (int chunk : chunks) {
                clock.retired(chunk);
                total += chunk;
              }
              assertEquals(total / rate, clock.now());
            });
  }

  @Test
  void idlingJumpsForwardButNeverBack() {
    InstructionClock clock = new InstructionClock(10);
    clock.retired(1_000);
    clock.idleUntil(50);
    assertEquals(100, clock.now());
    clock.idleUntil(500);
    assertEquals(500, clock.now());
    clock.retired(25);
    assertEquals(502, clock.now());
  }
}
