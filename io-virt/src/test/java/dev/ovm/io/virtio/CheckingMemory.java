package dev.ovm.io.virtio;

import dev.ovm.memory.GuestRam;
import dev.ovm.vmm.GuestPhysAddr;
import dev.ovm.vmm.memory.GuestMemory;
import java.util.function.BiPredicate;

/**
 * Guest memory for fuzzing: forwards to a {@link GuestRam} but fails the test if a device asks
 * for a range outside RAM (devices must check first) or writes where {@code mayWrite} (evaluated
 * against the memory as it is at the moment of the write) says it must not.
 */
final class CheckingMemory implements GuestMemory {
  private final GuestRam ram;
  private final BiPredicate<Long, Integer> mayWrite;

  CheckingMemory(GuestRam ram, BiPredicate<Long, Integer> mayWrite) {
    this.ram = ram;
    this.mayWrite = mayWrite;
  }

  @Override
  public GuestPhysAddr base() {
    return ram.base();
  }

  @Override
  public long size() {
    return ram.size();
  }

  @Override
  public void read(long gpa, byte[] dst, int dstOffset, int length) {
    if (!contains(gpa, length)) {
      throw new AssertionError(String.format("device read outside RAM: 0x%x+%d", gpa, length));
    }
    ram.read(gpa, dst, dstOffset, length);
  }

  @Override
  public void write(long gpa, byte[] src, int srcOffset, int length) {
    if (!contains(gpa, length)) {
      throw new AssertionError(String.format("device wrote outside RAM: 0x%x+%d", gpa, length));
    }
    if (!mayWrite.test(gpa, length)) {
      throw new AssertionError(String.format("device wrote outside the named buffers: 0x%x+%d", gpa, length));
    }
    ram.write(gpa, src, srcOffset, length);
  }
}
