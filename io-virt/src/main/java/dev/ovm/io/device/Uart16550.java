package dev.ovm.io.device;

import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.vmm.device.IrqLine;
import dev.ovm.vmm.device.MmioDevice;
import java.util.ArrayDeque;
import java.util.function.IntConsumer;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

/**
 * An NS16550A UART as QEMU's {@code virt} board maps it ("ns16550a", reg-shift 0, one byte per
 * register): RBR/THR/DLL at 0, IER/DLM at 1, IIR/FCR at 2, LCR at 3 (bit 7 is DLAB, which selects
 * DLL/DLM), MCR at 4, LSR at 5, MSR at 6, SCR at 7. Register names and bits follow the PC16550D
 * datasheet; the divisor latch is stored but has no effect (there is no line speed).
 *
 * <p>Accesses: like QEMU's {@code serial_mm}, any width from 1 to 8 is accepted and acts on the
 * byte register at {@code offset & 7} (the 8 registers repeat through the window): a write uses the
 * low byte of the value, a read returns the register zero-extended. No access faults.
 *
 * <p>Transmit: a byte written to THR goes to the sink at once (or, in loopback mode, to the
 * receiver), so THR and the transmitter are always empty: LSR.THRE and LSR.TEMT read 1.
 *
 * <p>Receive: {@link #receive} and {@link #tryReceive}, callable from any thread, put bytes into
 * the receive FIFO: 16 bytes deep with FCR.FIFOE set, as on the 16550, and one byte (RBR) without.
 * A byte arriving when it is full is an overrun (LSR.OE): in FIFO mode the new byte is lost, in
 * non-FIFO mode it replaces the unread one (datasheet, LSR bit 1). {@link #tryReceive} refuses
 * instead, so that an input thread can wait for room as QEMU's character back end does.
 *
 * <p>Interrupts (datasheet, "Interrupt Identification Register"), highest priority first: receiver
 * line status (IER.ELSI and LSR.OE; cleared by reading LSR), received data available (IER.ERBFI
 * and data in the receiver; cleared by reading RBR until empty), THR empty (IER.ETBEI; set when a
 * THR write has been transmitted or when ETBEI goes from 0 to 1, cleared by reading IIR while it is
 * the reported interrupt or by writing THR), modem status (IER.EDSSI and a delta bit in MSR;
 * cleared by reading MSR). In FIFO mode, data below the trigger level is reported at once as a
 * character timeout (IIR 0xC): the four character times of the real chip are taken as zero,
 * since no further character is on its way. The line to the interrupt controller carries "some
 * interrupt is identified in IIR"; MCR.OUT2 does not gate it (QEMU's {@code virt} ignores it).
 *
 * <p>Thread safety and lock order: one lock per UART ({@code lock}), taken by guest accesses and
 * by input threads. While holding it the UART calls the transmit sink and its interrupt line (the
 * PLIC source, which takes the PLIC's lock): the order is <em>UART lock, then PLIC lock</em>. The
 * sink and the line must never call back into this UART.
 */
public final class Uart16550 implements MmioDevice {
  /** Depth of the receive FIFO (16550 datasheet: 16 bytes). */
  public static final int FIFO_DEPTH = 16;

  // register offsets (DLAB = 0 unless noted)
  static final int RBR_THR_DLL = 0;
  static final int IER_DLM = 1;
  static final int IIR_FCR = 2;
  static final int LCR = 3;
  static final int MCR = 4;
  static final int LSR = 5;
  static final int MSR = 6;
  static final int SCR = 7;

  static final int IER_ERBFI = 0x01;
  static final int IER_ETBEI = 0x02;
  static final int IER_ELSI = 0x04;
  static final int IER_EDSSI = 0x08;

  static final int IIR_NO_INTERRUPT = 0x01;
  static final int IIR_RECEIVER_LINE_STATUS = 0x06;
  static final int IIR_RECEIVED_DATA = 0x04;
  static final int IIR_CHARACTER_TIMEOUT = 0x0C;
  static final int IIR_THR_EMPTY = 0x02;
  static final int IIR_MODEM_STATUS = 0x00;
  static final int IIR_FIFOS_ENABLED = 0xC0;

  static final int FCR_FIFO_ENABLE = 0x01;
  static final int FCR_RECEIVER_RESET = 0x02;
  static final int LCR_DLAB = 0x80;
  static final int MCR_LOOP = 0x10;

  static final int LSR_DR = 0x01;
  static final int LSR_OE = 0x02;
  static final int LSR_THRE = 0x20;
  static final int LSR_TEMT = 0x40;

  /** MSR with the modem lines as QEMU reports them without a modem: DCD, DSR and CTS asserted. */
  static final int MSR_NO_MODEM = 0xB0;
  static final int MSR_RI = 0x40;
  static final int MSR_TERI = 0x04;

  private static final int[] TRIGGER_LEVELS = {1, 4, 8, 14};

  /** The registers; guarded by {@code lock}. */
  private static final class State {
    final ArrayDeque<Byte> receiver = new ArrayDeque<>(FIFO_DEPTH);
    int ier;
    int fcr;
    int lcr;
    int mcr;
    /** The LSR error bits (only OE: the line never has parity, framing or break errors). */
    int lineErrors;
    int msr = MSR_NO_MODEM;
    int scr;
    int dll;
    int dlm;
    /** The THR-empty interrupt is pending (QEMU's {@code thr_ipending}). */
    boolean thrEmptyPending;
    /** The level last driven on the interrupt line. */
    boolean irqLevel;
  }

  private final IntConsumer sink;
  private final IrqLine irq;
  private final Object lock = new Object();
  private final @GuardedBy("lock") State state = new State();

  /**
   * Creates a UART in its reset state (FIFOs off, interrupts disabled).
   *
   * @param sink receives each transmitted byte (0..255); called with the UART's lock held
   * @param irq the UART's interrupt line (its PLIC source)
   */
  public Uart16550(IntConsumer sink, IrqLine irq) {
    this.sink = sink;
    this.irq = irq;
  }

  @Override
  public String name() {
    return "uart0";
  }

  @Override
  public long size() {
    return VirtMemoryMap.UART0_SIZE;
  }

  /**
   * Delivers a byte from the outside world to the receiver; on overrun sets LSR.OE and loses a byte
   * (see the class comment). Safe to call from any thread.
   */
  public void receive(byte b) {
    synchronized (lock) {
      if (state.receiver.size() >= capacity()) {
        state.lineErrors |= LSR_OE;
        if (fifoEnabled()) {
          updateIrq();
          return;
        }
        state.receiver.clear(); // non-FIFO: the unread RBR is overwritten
      }
      state.receiver.add(b);
      updateIrq();
    }
  }

  /**
   * Delivers a byte only if the receiver has room for it. Safe to call from any thread.
   *
   * @return false, changing nothing, if the receiver is full
   */
  public boolean tryReceive(byte b) {
    synchronized (lock) {
      if (state.receiver.size() >= capacity()) {
        return false;
      }
      state.receiver.add(b);
      updateIrq();
      return true;
    }
  }

  @Override
  public long read(long offset, int width) {
    synchronized (lock) {
      int value = readRegister((int) (offset & 7));
      updateIrq();
      return value & 0xFF;
    }
  }

  @Override
  public void write(long offset, int width, long value) {
    synchronized (lock) {
      writeRegister((int) (offset & 7), (int) (value & 0xFF));
      updateIrq();
    }
  }

  @Holding("lock")
  private int readRegister(int register) {
    boolean dlab = (state.lcr & LCR_DLAB) != 0;
    switch (register) {
      case RBR_THR_DLL -> {
        if (dlab) {
          return state.dll;
        }
        Byte b = state.receiver.poll();
        return b == null ? 0 : b & 0xFF;
      }
      case IER_DLM -> {
        return dlab ? state.dlm : state.ier;
      }
      case IIR_FCR -> {
        int id = interruptId();
        if (id == IIR_THR_EMPTY) {
          state.thrEmptyPending = false; // reading IIR clears a THRE interrupt it reports
        }
        return id | (fifoEnabled() ? IIR_FIFOS_ENABLED : 0);
      }
      case LCR -> {
        return state.lcr;
      }
      case MCR -> {
        return state.mcr;
      }
      case LSR -> {
        int lsr = state.lineErrors | LSR_THRE | LSR_TEMT | (state.receiver.isEmpty() ? 0 : LSR_DR);
        state.lineErrors = 0; // reading LSR clears the error bits and the line status interrupt
        return lsr;
      }
      case MSR -> {
        int msr = state.msr;
        state.msr &= 0xF0; // reading MSR clears the delta bits
        return msr;
      }
      default -> {
        return state.scr;
      }
    }
  }

  @Holding("lock")
  private void writeRegister(int register, int value) {
    boolean dlab = (state.lcr & LCR_DLAB) != 0;
    switch (register) {
      case RBR_THR_DLL -> {
        if (dlab) {
          state.dll = value;
        } else {
          transmit(value);
        }
      }
      case IER_DLM -> {
        if (dlab) {
          state.dlm = value;
        } else {
          writeIer(value & 0x0F);
        }
      }
      case IIR_FCR -> writeFcr(value);
      case LCR -> state.lcr = value;
      case MCR -> writeMcr(value & 0x1F);
      case SCR -> state.scr = value;
      default -> {
        // LSR and MSR are read-only: writes ignored (QEMU ignores them too)
      }
    }
  }

  @Holding("lock")
  private void transmit(int value) {
    state.thrEmptyPending = false; // writing THR clears the THRE interrupt
    if ((state.mcr & MCR_LOOP) != 0) {
      receive((byte) value); // loopback: the transmitter feeds the receiver
    } else {
      sink.accept(value);
    }
    state.thrEmptyPending = true; // transmitted at once: THR is empty again
  }

  @Holding("lock")
  private void writeIer(int ier) {
    boolean risingEtbei = (ier & IER_ETBEI) != 0 && (state.ier & IER_ETBEI) == 0;
    state.ier = ier;
    if ((ier & IER_ETBEI) == 0) {
      state.thrEmptyPending = false;
    } else if (risingEtbei) {
      state.thrEmptyPending = true; // THR is always empty; QEMU raises THRE on the 0 -> 1 edge
    }
  }

  @Holding("lock")
  private void writeFcr(int value) {
    int fcr = (value & FCR_FIFO_ENABLE) == 0 ? 0 : value & 0xC9; // FIFOE, DMA mode, trigger level
    if (((fcr ^ state.fcr) & FCR_FIFO_ENABLE) != 0 || (value & FCR_RECEIVER_RESET) != 0) {
      state.receiver.clear(); // changing FIFOE clears the FIFOs, as does RCVR FIFO reset
    }
    state.fcr = fcr;
  }

  @Holding("lock")
  private void writeMcr(int mcr) {
    int oldStatus = state.msr & 0xF0;
    state.mcr = mcr;
    int newStatus = MSR_NO_MODEM;
    if ((mcr & MCR_LOOP) != 0) {
      // loopback (datasheet MCR bit 4): CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2
      newStatus = ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5) | ((mcr & 0x04) << 4) | ((mcr & 0x08) << 4);
    }
    int changed = oldStatus ^ newStatus;
    int deltas = (changed & 0xB0) >> 4; // DCTS, DDSR, DDCD
    if ((oldStatus & MSR_RI) != 0 && (newStatus & MSR_RI) == 0) {
      deltas |= MSR_TERI; // trailing edge of RI only
    }
    state.msr = newStatus | (state.msr & 0x0F) | deltas;
  }

  @Holding("lock")
  private boolean fifoEnabled() {
    return (state.fcr & FCR_FIFO_ENABLE) != 0;
  }

  @Holding("lock")
  private int capacity() {
    return fifoEnabled() ? FIFO_DEPTH : 1;
  }

  /** The interrupt IIR reports now, by the 16550's priorities. */
  @Holding("lock")
  private int interruptId() {
    int ier = state.ier;
    if ((ier & IER_ELSI) != 0 && state.lineErrors != 0) {
      return IIR_RECEIVER_LINE_STATUS;
    }
    if ((ier & IER_ERBFI) != 0 && !state.receiver.isEmpty()) {
      return fifoEnabled() && state.receiver.size() < triggerLevel() ? IIR_CHARACTER_TIMEOUT : IIR_RECEIVED_DATA;
    }
    if ((ier & IER_ETBEI) != 0 && state.thrEmptyPending) {
      return IIR_THR_EMPTY;
    }
    if ((ier & IER_EDSSI) != 0 && (state.msr & 0x0F) != 0) {
      return IIR_MODEM_STATUS;
    }
    return IIR_NO_INTERRUPT;
  }

  @Holding("lock")
  private int triggerLevel() {
    return TRIGGER_LEVELS[(state.fcr >> 6) & 3];
  }

  @Holding("lock")
  private void updateIrq() {
    boolean asserted = interruptId() != IIR_NO_INTERRUPT;
    if (asserted != state.irqLevel) {
      state.irqLevel = asserted;
      irq.set(asserted);
    }
  }

  /**
   * Device reset, as when the board was created: FIFOs off and empty, interrupts disabled, line
   * and modem control 0, divisor and scratch 0; the interrupt line follows.
   */
  public void reset() {
    synchronized (lock) {
      state.receiver.clear();
      state.ier = 0;
      state.fcr = 0;
      state.lcr = 0;
      state.mcr = 0;
      state.lineErrors = 0;
      state.msr = MSR_NO_MODEM;
      state.scr = 0;
      state.dll = 0;
      state.dlm = 0;
      state.thrEmptyPending = false;
      updateIrq();
    }
  }
}
