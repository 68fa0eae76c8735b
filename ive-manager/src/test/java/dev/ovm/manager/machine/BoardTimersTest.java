package dev.ovm.manager.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ovm.cpu.Hart;
import dev.ovm.io.device.Clint;
import dev.ovm.memory.GuestRam;
import dev.ovm.memory.SystemBus;
import dev.ovm.vmm.device.IrqLine;
import dev.ovm.vmm.time.InstructionClock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The board's next deadline is the earliest of the CLINT's mtimecmp and every hart's stimecmp, so
 * an idle VM's clock jumps to whichever fires first.
 */
class BoardTimersTest {
  private final GuestRam ram = new GuestRam(0x8000_0000L, 1 << 20);
  private final InstructionClock clock = new InstructionClock(1);
  private final Hart hart0 = new Hart(0, new SystemBus(ram), clock);
  private final Hart hart1 = new Hart(1, new SystemBus(ram), clock);
  private final IrqLine ignored = asserted -> {};
  private final Clint clint = new Clint(clock, List.of(ignored, ignored), List.of(ignored, ignored));
  private final BoardTimers timers = new BoardTimers(clint, List.of(hart0, hart1), null);

  @AfterEach
  void close() {
    ram.close();
  }

  @Test
  void theEarliestComparatorWins() {
    assertEquals(Long.MAX_VALUE, timers.nextDeadline(), "nothing armed");
    clint.write(Clint.MTIMECMP_BASE, 8, 900);
    assertEquals(900, timers.nextDeadline());
    hart1.installFirmware(hart -> {}, true);
    hart1.setTimer(400);
    assertEquals(400, timers.nextDeadline(), "hart 1's stimecmp fires first");
    hart0.installFirmware(hart -> {}, false); // SBI TIME without Sstc uses the same comparator
    hart0.setTimer(250);
    assertEquals(250, timers.nextDeadline());
    clock.idleUntil(260);
    assertEquals(400, timers.nextDeadline(), "hart 0's fired and STIE is clear: next is hart 1's");
  }
}
