package dev.ovm.io.virtio;

import dev.ovm.vmm.GuestPhysAddr;
import dev.ovm.vmm.memory.GuestMemory;
import dev.ovm.vmm.memory.GuestMemoryException;

/** The absent device of an empty transport: DeviceID 0, no features, queues or configuration. */
final class NoDevice implements VirtioDevice {
  static final NoDevice INSTANCE = new NoDevice();

  /** Memory with no bytes: an empty transport never touches memory. */
  static final GuestMemory NO_MEMORY =
      new GuestMemory() {
        @Override
        public GuestPhysAddr base() {
          return new GuestPhysAddr(0);
        }

        @Override
        public long size() {
          return 0;
        }

        @Override
        public void read(long gpa, byte[] dst, int dstOffset, int length) {
          throw new GuestMemoryException(gpa, length);
        }

        @Override
        public void write(long gpa, byte[] src, int srcOffset, int length) {
          throw new GuestMemoryException(gpa, length);
        }
      };

  private NoDevice() {}

  @Override
  public int deviceId() {
    return Virtio.ID_NONE;
  }

  @Override
  public long deviceFeatures() {
    return 0;
  }

  @Override
  public int queueCount() {
    return 0;
  }

  @Override
  public int queueMaxSize(int index) {
    return 0;
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
  public void activate(Activation activation) {}

  @Override
  public void notifyQueue(int index) {}

  @Override
  public void reset() {}
}
