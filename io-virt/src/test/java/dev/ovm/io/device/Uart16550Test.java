package dev.ovm.io.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class Uart16550Test {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final RecordingLine irq = new RecordingLine();
  private final Uart16550 uart = new Uart16550(out::write, irq);

  private int reg(int offset) {
    return (int) uart.read(offset, 1);
  }

  private void set(int offset, int value) {
    uart.write(offset, 1, value);
  }

  @Test
  void transmittedBytesGoToTheSinkAndTheTransmitterIsAlwaysEmpty() {
    set(0, 'h');
    set(0, 'i');
    assertEquals("hi", out.toString());
    assertEquals(0x60, reg(5)); // THRE | TEMT, no data
  }

  @Test
  void dlabSelectsTheDivisorLatch() {
    set(3, 0x83); // DLAB, 8 bits
    set(0, 0x03);
    set(1, 0x01);
    set(3, 0x03);
    set(1, 0xFF); // IER keeps its 4 bits
    assertEquals(0x0F, reg(1));
    assertEquals("", out.toString()); // a DLL write is not a transmission
    set(3, 0x83);
    assertEquals(0x03, reg(0));
    assertEquals(0x01, reg(1));
  }

  @Test
  void receivedDataSetsDrAndTheDataAvailableInterruptUntilRead() {
    set(1, 0x01); // ERBFI
    assertFalse(irq.level());
    uart.receive((byte) 'x');
    assertTrue(irq.level());
    assertEquals(0x04, reg(2)); // received data available, FIFOs off
    assertEquals(0x61, reg(5));
    assertEquals('x', reg(0));
    assertFalse(irq.level());
    assertEquals(0x01, reg(2));
    assertEquals(0x60, reg(5));
  }

  @Test
  void iirReportsInterruptsInDatasheetPriorityOrder() {
    set(2, 0x01); // FIFOs on, trigger level 1
    set(1, 0x0F); // every interrupt; ETBEI 0 -> 1 raises THRE
    set(4, 0x12); // loopback with RTS: DSR and DCD drop -> modem status deltas
    for (int i = 0; i < Uart16550.FIFO_DEPTH + 1; i++) {
      uart.receive((byte) i); // the 17th byte overruns
    }
    assertEquals(0xC6, reg(2)); // receiver line status first
    assertEquals(0x63, reg(5)); // DR | OE | THRE | TEMT; reading clears OE
    assertEquals(0xC4, reg(2)); // then received data
    for (int i = 0; i < Uart16550.FIFO_DEPTH; i++) {
      assertEquals(i, reg(0));
    }
    assertEquals(0xC2, reg(2)); // then THR empty, which this read clears
    assertEquals(0xC0, reg(2)); // then modem status
    assertTrue(irq.level());
    assertEquals(0x1A, reg(6)); // CTS (= RTS) kept; DSR and DCD fell: DDSR | DDCD
    assertEquals(0xC1, reg(2));
    assertFalse(irq.level());
  }

  @Test
  void thrEmptyInterruptFollowsThe16550ClearingRules() {
    set(1, 0x02); // ETBEI with THR empty
    assertTrue(irq.level());
    assertEquals(0x02, reg(2)); // reported, and so cleared
    assertFalse(irq.level());
    assertEquals(0x01, reg(2));
    set(0, 'a'); // transmitting empties THR again: THRE is back
    assertTrue(irq.level());
    assertEquals(0x02, reg(2));
    set(1, 0x02); // ETBEI was already set: no new edge, nothing pending
    assertEquals(0x01, reg(2));
    set(1, 0x00);
    set(1, 0x02); // 0 -> 1 edge with THR empty
    assertEquals(0x02, reg(2));
  }

  @Test
  void thrEmptyIsBelowReceivedDataAndSurvivesIt() {
    set(1, 0x03);
    uart.receive((byte) 7);
    assertEquals(0x04, reg(2)); // data wins; reading IIR does not clear THRE then
    assertEquals(7, reg(0));
    assertEquals(0x02, reg(2));
  }

  @Test
  void fifoOverflowSetsOverrunAndDropsTheNewBytes() {
    set(2, 0x01);
    for (int i = 0; i < 20; i++) {
      uart.receive((byte) (100 + i));
    }
    assertEquals(0x63, reg(5));
    for (int i = 0; i < Uart16550.FIFO_DEPTH; i++) {
      assertEquals(100 + i, reg(0));
    }
    assertEquals(0x60, reg(5)); // bytes 16..19 were lost, OE was cleared by the first read
  }

  @Test
  void tryReceiveRefusesWhenFullWithoutOverrun() {
    set(2, 0x01);
    for (int i = 0; i < Uart16550.FIFO_DEPTH; i++) {
      assertTrue(uart.tryReceive((byte) i));
    }
    assertFalse(uart.tryReceive((byte) 99));
    assertEquals(0x61, reg(5));
  }

  @Test
  void withoutFifosAnOverrunReplacesTheUnreadByte() {
    uart.receive((byte) 1);
    uart.receive((byte) 2);
    assertEquals(0x63, reg(5));
    assertEquals(2, reg(0));
    assertEquals(0x60, reg(5));
  }

  @Test
  void dataBelowTheTriggerLevelIsReportedAsCharacterTimeout() {
    set(2, 0xC1); // trigger level 14
    set(1, 0x01);
    for (int i = 0; i < 13; i++) {
      uart.receive((byte) i);
    }
    assertEquals(0xCC, reg(2));
    uart.receive((byte) 13);
    assertEquals(0xC4, reg(2));
  }

  @Test
  void fcrResetsAndFifoEnableChangesClearTheReceiver() {
    set(2, 0x01);
    uart.receive((byte) 1);
    set(2, 0x03); // RCVR FIFO reset
    assertEquals(0x60, reg(5));
    uart.receive((byte) 2);
    set(2, 0x00); // FIFOE 1 -> 0 clears the FIFOs
    assertEquals(0x60, reg(5));
    assertEquals(0x01, reg(2)); // IIR bits 7:6 clear with FIFOs off
  }

  @Test
  void loopbackFeedsTheReceiverAndMirrorsModemControl() {
    set(4, 0x10);
    set(0, 'q');
    assertEquals("", out.toString());
    assertEquals('q', reg(0));
    set(4, 0x1F); // DTR, RTS, OUT1, OUT2 -> DSR, CTS, RI, DCD
    assertEquals(0xF0, reg(6) & 0xF0);
    set(4, 0x1B); // OUT1 drops: RI trailing edge
    assertEquals(0x04, reg(6) & 0x04);
    set(4, 0x00);
    assertEquals(0xB0, reg(6) & 0xF0); // back to QEMU's idle modem lines
  }

  @Test
  void registersRepeatEveryEightBytesAndWideAccessesActOnOneByte() {
    uart.write(7, 4, 0x1234_56ABL);
    assertEquals(0xAB, reg(7));
    assertEquals(0xABL, uart.read(0x0F, 8));
    assertEquals(0x60L, uart.read(0xFD, 2));
  }

  @Test
  void randomRegisterAccessesNeverFaultAndKeepTheLineConsistent() {
    qt().withExamples(200)
        .forAll(longs().all())
        .checkAssert(seed -> {
          RecordingLine line = new RecordingLine();
          Uart16550 fresh = new Uart16550(b -> {}, line);
          fresh.receive((byte) 1);
          assertEquals(0, MmioFuzz.run(fresh, seed, 400, 0, 1, 2, 3, 4, 5, 6, 7));
          // the line always says whether IIR identifies an interrupt
          boolean asserted = line.level();
          assertEquals(asserted, (fresh.read(2, 1) & 1) == 0);
        });
  }
}
