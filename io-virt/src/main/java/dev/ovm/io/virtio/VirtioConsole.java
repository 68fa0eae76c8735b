package dev.ovm.io.virtio;

import dev.ovm.vmm.memory.GuestMemoryException;
import java.nio.ByteBuffer;
import java.util.function.IntConsumer;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

/**
 * A virtio console (virtio 1.2 5.3) with one port and no optional features: receiveq0 (queue 0)
 * carries host input to the guest, transmitq0 (queue 1) guest output to a sink. The configuration
 * space (cols, rows, max_nr_ports, emerg_wr) reads 0; VIRTIO_CONSOLE_F_SIZE, _MULTIPORT and
 * _EMERG_WRITE are not offered.
 *
 * <p>Output: on a notification of transmitq0 every byte of every available chain's readable
 * buffers goes to the sink, in order, and the chain is returned with used length 0.
 *
 * <p>Input: {@link #receive} may be called from any thread. Bytes wait in a buffer of {@link
 * #INPUT_CAPACITY} bytes until the guest has posted receive buffers; whenever both exist (on
 * input, on a notification of receiveq0, on activation) they are copied into the buffers in order,
 * each chain returned with the number of bytes written. Input that does not fit in the buffer is
 * refused; {@link #receive} says how much it took. Input survives a device reset.
 *
 * <p>Malformed chains (there is no error status to report them with) put the device in
 * DEVICE_NEEDS_RESET (2.1.2), as does a corrupt ring.
 *
 * <p>Thread safety: one lock per console ({@code lock}), taken by the transport (with the
 * transport lock held) and by input threads (without it). While holding it the console calls the
 * sink and the interrupt state. The sink must not call back into the console.
 */
public final class VirtioConsole implements VirtioDevice {
  /** Queue number of receiveq0. */
  public static final int RECEIVE_QUEUE = 0;
  /** Queue number of transmitq0. */
  public static final int TRANSMIT_QUEUE = 1;
  /** Size of each queue. */
  public static final int QUEUE_SIZE = 128;
  /** Bytes of host input the console holds while the guest has no receive buffers. */
  public static final int INPUT_CAPACITY = 64 * 1024;

  private static final int CONFIG_BYTES = 12;
  private static final int CHUNK = 4096;

  /** The mutable state; guarded by {@code lock}. */
  private static final class State {
    DeviceLifecycle lifecycle = DeviceLifecycle.INACTIVE;
    /** Pending input, in write mode (position = bytes held). */
    final ByteBuffer input = ByteBuffer.allocate(INPUT_CAPACITY);
    /** Staging buffer for transmitted bytes. */
    final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
  }

  private final IntConsumer sink;
  private final Object lock = new Object();
  private final @GuardedBy("lock") State state = new State();

  /**
   * Creates a console.
   *
   * @param sink receives each byte the guest transmits (0..255); called with the console's lock
   *     held
   */
  public VirtioConsole(IntConsumer sink) {
    this.sink = sink;
  }

  /**
   * Delivers host input to the guest, at once if it has posted receive buffers, else when it
   * does. Safe to call from any thread.
   *
   * @return how many bytes of {@code data} were taken (fewer than its length only when the input
   *     buffer is full)
   */
  public int receive(byte[] data) {
    synchronized (lock) {
      int n = Math.min(data.length, state.input.remaining());
      state.input.put(data, 0, n);
      if (state.lifecycle instanceof DeviceLifecycle.Active active) {
        run(active.activation(), RECEIVE_QUEUE);
      }
      return n;
    }
  }

  /** Bytes of input waiting for receive buffers. */
  public int pendingInput() {
    synchronized (lock) {
      return state.input.position();
    }
  }

  @Override
  public int deviceId() {
    return Virtio.ID_CONSOLE;
  }

  @Override
  public long deviceFeatures() {
    return 0;
  }

  @Override
  public int queueCount() {
    return 2;
  }

  @Override
  public int queueMaxSize(int index) {
    return index == RECEIVE_QUEUE || index == TRANSMIT_QUEUE ? QUEUE_SIZE : 0;
  }

  @Override
  public int configSize() {
    return CONFIG_BYTES;
  }

  @Override
  public int readConfig(int offset) {
    return 0;
  }

  @Override
  public void activate(Activation activation) {
    synchronized (lock) {
      state.lifecycle = new DeviceLifecycle.Active(activation);
      run(activation, TRANSMIT_QUEUE);
      run(activation, RECEIVE_QUEUE);
    }
  }

  @Override
  public void notifyQueue(int index) {
    synchronized (lock) {
      if (state.lifecycle instanceof DeviceLifecycle.Active active) {
        run(active.activation(), index);
      }
    }
  }

  @Override
  public void reset() {
    synchronized (lock) {
      state.lifecycle = DeviceLifecycle.INACTIVE;
    }
  }

  @Holding("lock")
  private void run(Activation activation, int index) {
    Virtqueue queue = activation.queue(index);
    try {
      if (index == TRANSMIT_QUEUE) {
        transmit(activation, queue);
      } else if (index == RECEIVE_QUEUE) {
        deliver(activation, queue);
      }
    } catch (GuestMemoryException e) {
      fail(activation); // cannot happen for validated chains; never let a guest error escape
    }
    activation.notifyUsed(queue);
  }

  @Holding("lock")
  private void fail(Activation activation) {
    state.lifecycle = DeviceLifecycle.NEEDS_RESET;
    activation.enterNeedsReset();
  }

  @Holding("lock")
  private void transmit(Activation activation, Virtqueue queue) {
    while (state.lifecycle instanceof DeviceLifecycle.Active) {
      PopResult next = queue.pop(activation.memory());
      if (next instanceof DescriptorChain chain) {
        for (long done = 0; done < chain.readableLength(); ) {
          int n = (int) Math.min(CHUNK, chain.readableLength() - done);
          chain.read(activation.memory(), done, state.buffer.array(), 0, n);
          for (int i = 0; i < n; i++) {
            sink.accept(state.buffer.get(i) & 0xFF);
          }
          done += n;
        }
        queue.addUsed(activation.memory(), chain.head(), 0);
      } else if (next instanceof PopResult.Empty) {
        return;
      } else {
        fail(activation);
      }
    }
  }

  @Holding("lock")
  private void deliver(Activation activation, Virtqueue queue) {
    while (state.input.position() > 0 && state.lifecycle instanceof DeviceLifecycle.Active) {
      PopResult next = queue.pop(activation.memory());
      if (next instanceof DescriptorChain chain) {
        int n = (int) Math.min(chain.writableLength(), state.input.position());
        state.input.flip();
        chain.write(activation.memory(), 0, state.input.array(), state.input.arrayOffset(), n);
        state.input.position(n);
        state.input.compact();
        queue.addUsed(activation.memory(), chain.head(), n);
      } else if (next instanceof PopResult.Empty) {
        return;
      } else {
        fail(activation);
      }
    }
  }
}
