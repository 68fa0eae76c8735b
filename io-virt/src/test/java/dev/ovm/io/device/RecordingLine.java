package dev.ovm.io.device;

import dev.ovm.vmm.device.IrqLine;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A test double for an interrupt line: remembers its level and how often it was driven. */
final class RecordingLine implements IrqLine {
  private final AtomicBoolean level = new AtomicBoolean();
  private final AtomicInteger calls = new AtomicInteger();

  @Override
  public void set(boolean asserted) {
    level.set(asserted);
    calls.incrementAndGet();
  }

  boolean level() {
    return level.get();
  }

  int calls() {
    return calls.get();
  }
}
