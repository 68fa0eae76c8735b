package dev.ovm.io.virtio;

import dev.ovm.vmm.device.IrqLine;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A test double for an interrupt line: remembers its level and how many times it rose. */
final class RecordingIrq implements IrqLine {
  private final AtomicBoolean level = new AtomicBoolean();
  private final AtomicInteger rises = new AtomicInteger();

  @Override
  public void set(boolean asserted) {
    if (asserted && !level.getAndSet(true)) {
      rises.incrementAndGet();
    } else if (!asserted) {
      level.set(false);
    }
  }

  boolean level() {
    return level.get();
  }

  int rises() {
    return rises.get();
  }
}
