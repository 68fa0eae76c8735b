package dev.ovm.io.virtio;

import dev.ovm.vmm.memory.GuestMemoryException;
import java.security.SecureRandom;
import java.util.Random;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

/**
 * A virtio entropy device (virtio 1.2 5.4): one request queue whose device-writable buffers it
 * fills with random bytes, up to {@link #MAX_BYTES_PER_REQUEST} per request (5.4.6.1 lets a device
 * use less than the whole buffer), returning each with the number of bytes written. No features,
 * no configuration space.
 *
 * <p>The bytes come from a {@link SecureRandom} unless a {@link Random} is given (for
 * reproducible tests). Malformed chains and a corrupt ring put the device in DEVICE_NEEDS_RESET
 * (2.1.2): the device has no status to report them with.
 *
 * <p>Thread safety: one lock per device ({@code lock}), taken under the transport's lock.
 */
public final class VirtioEntropy implements VirtioDevice {
  /** Size of the request queue. */
  public static final int QUEUE_SIZE = 64;
  /** The most bytes one request receives. */
  public static final int MAX_BYTES_PER_REQUEST = 64 * 1024;

  private static final int CHUNK = 256;

  /** The mutable state; guarded by {@code lock}. */
  private static final class State {
    DeviceLifecycle lifecycle = DeviceLifecycle.INACTIVE;
    /** Staging buffer for random bytes. */
    final byte[] buffer = new byte[CHUNK];
  }

  private final Random random;
  private final Object lock = new Object();
  private final @GuardedBy("lock") State state = new State();

  /** Creates an entropy device fed by a new {@link SecureRandom}. */
  public VirtioEntropy() {
    this(new SecureRandom());
  }

  /** Creates an entropy device fed by {@code random}. */
  public VirtioEntropy(Random random) {
    this.random = random;
  }

  @Override
  public int deviceId() {
    return Virtio.ID_ENTROPY;
  }

  @Override
  public long deviceFeatures() {
    return 0;
  }

  @Override
  public int queueCount() {
    return 1;
  }

  @Override
  public int queueMaxSize(int index) {
    return index == 0 ? QUEUE_SIZE : 0;
  }

  @Override
  public int configSize() {
    return 0;
  }

  @Override
  public int readConfig(int offset) {
    return 0;
  }

  @Override
  public void activate(Activation activation) {
    synchronized (lock) {
      state.lifecycle = new DeviceLifecycle.Active(activation);
      process(activation);
    }
  }

  @Override
  public void notifyQueue(int index) {
    synchronized (lock) {
      if (index == 0 && state.lifecycle instanceof DeviceLifecycle.Active active) {
        process(active.activation());
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
  private void process(Activation activation) {
    Virtqueue queue = activation.queue(0);
    try {
      while (state.lifecycle instanceof DeviceLifecycle.Active) {
        PopResult next = queue.pop(activation.memory());
        if (next instanceof DescriptorChain chain) {
          int written = fill(activation, chain);
          queue.addUsed(activation.memory(), chain.head(), written);
        } else if (next instanceof PopResult.Empty) {
          break;
        } else {
          fail(activation);
        }
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
  private int fill(Activation activation, DescriptorChain chain) {
    int total = (int) Math.min(MAX_BYTES_PER_REQUEST, chain.writableLength());
    for (int done = 0; done < total; ) {
      int n = Math.min(CHUNK, total - done);
      random.nextBytes(state.buffer);
      chain.write(activation.memory(), done, state.buffer, 0, n);
      done += n;
    }
    return total;
  }
}
