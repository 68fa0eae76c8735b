package dev.ovm.io.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.vmm.time.InstructionClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each device's reset (for a VM reset) returns it to the state it had when the board was created. */
class DeviceResetTest {

  @Test
  void clintResetDropsSoftwareAndTimerInterruptsAndTheMtimeOffset() {
    InstructionClock clock = new InstructionClock(1);
    RecordingLine msip = new RecordingLine();
    RecordingLine mtip = new RecordingLine();
    Clint clint = new Clint(clock, List.of(msip), List.of(mtip));
    clint.write(Clint.MSIP_BASE, 4, 1);
    clint.write(Clint.MTIMECMP_BASE, 8, 10);
    clint.write(Clint.MTIME, 8, 5_000);
    clock.retired(100);
    clint.poll();
    assertTrue(msip.level());
    assertTrue(mtip.level());
    clint.reset();
    assertFalse(msip.level());
    assertFalse(mtip.level());
    assertEquals(0, clint.read(Clint.MSIP_BASE, 4));
    assertEquals(-1L, clint.read(Clint.MTIMECMP_BASE, 8));
    assertEquals(clock.now(), clint.read(Clint.MTIME, 8), "mtime follows the clock again");
    assertEquals(Long.MAX_VALUE, clint.nextDeadline());
  }

  @Test
  void plicResetClearsPrioritiesEnablesThresholdsAndClaims() {
    RecordingLine meip = new RecordingLine();
    RecordingLine seip = new RecordingLine();
    Plic plic = new Plic(List.of(meip), List.of(seip));
    plic.write(4L * 10, 4, 5);
    plic.write(Plic.ENABLE_BASE, 4, 1L << 10);
    plic.write(Plic.CONTEXT_BASE, 4, 1);
    plic.source(10).set(true);
    assertTrue(meip.level());
    plic.reset();
    assertFalse(meip.level(), "priority 0 never interrupts");
    assertEquals(0, plic.read(4L * 10, 4));
    assertEquals(0, plic.read(Plic.ENABLE_BASE, 4));
    assertEquals(0, plic.read(Plic.CONTEXT_BASE, 4));
    assertEquals(0, plic.read(Plic.PENDING_BASE, 4), "nothing pending");
    assertEquals(0, plic.read(Plic.CONTEXT_BASE + Plic.CLAIM_OFFSET, 4), "nothing to claim");
  }

  @Test
  void uartResetEmptiesTheFifoAndDisablesItsInterrupt() {
    RecordingLine irq = new RecordingLine();
    List<Integer> out = new ArrayList<>();
    Uart16550 uart = new Uart16550(out::add, irq);
    uart.write(Uart16550.SCR, 1, 0x5a);
    uart.write(Uart16550.LCR, 1, 0x03);
    uart.write(1, 1, 0x01); // IER: received data available
    uart.receive((byte) 'x');
    assertTrue(irq.level());
    uart.reset();
    assertFalse(irq.level());
    assertEquals(0, uart.read(Uart16550.SCR, 1));
    assertEquals(0, uart.read(Uart16550.LCR, 1));
    assertEquals(0, uart.read(1, 1), "IER");
    assertEquals(0, uart.read(Uart16550.LSR, 1) & 1, "no data ready");
  }
}
