package dev.ovm.io.virtio;

import java.util.ArrayList;
import java.util.List;

/**
 * A device double for transport tests: two queues of at most 16 entries, one device feature bit
 * (bit 3), an 8-byte configuration space 0x11..0x18, and a record of every call.
 */
final class RecordingDevice implements VirtioDevice {
  static final int FEATURE_BIT = 3;

  final List<Integer> notified = new ArrayList<>();
  Activation activation;
  int resets;
  final byte[] config = {0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18};

  @Override
  public int deviceId() {
    return 42;
  }

  @Override
  public long deviceFeatures() {
    return Virtio.bit(FEATURE_BIT);
  }

  @Override
  public int queueCount() {
    return 2;
  }

  @Override
  public int queueMaxSize(int index) {
    return index < 2 ? 16 : 0;
  }

  @Override
  public int configSize() {
    return config.length;
  }

  @Override
  public int readConfig(int offset) {
    return config[offset] & 0xFF;
  }

  @Override
  public void writeConfig(int offset, int value) {
    config[offset] = (byte) value;
  }

  @Override
  public void activate(Activation activation) {
    this.activation = activation;
  }

  @Override
  public void notifyQueue(int index) {
    notified.add(index);
  }

  @Override
  public void reset() {
    resets++;
    activation = null;
  }
}
