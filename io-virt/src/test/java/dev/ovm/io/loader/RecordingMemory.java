package dev.ovm.io.loader;

import dev.ovm.vmm.GuestPhysAddr;
import dev.ovm.vmm.memory.GuestMemory;
import dev.ovm.vmm.memory.GuestMemoryException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small guest RAM for loader tests that records every write and fails the test (AssertionError)
 * on any access outside RAM, so a property can tell "the loader refused" from "the loader wrote
 * somewhere it should not have".
 */
final class RecordingMemory implements GuestMemory {
  private final long base;
  private final byte[] ram;
  final List<long[]> writes = new ArrayList<>();

  RecordingMemory(long base, int size) {
    this.base = base;
    this.ram = new byte[size];
  }

  @Override
  public GuestPhysAddr base() {
    return new GuestPhysAddr(base);
  }

  @Override
  public long size() {
    return ram.length;
  }

  /** Fills RAM with {@code value}, to see what a load overwrote. */
  void fill(byte value) {
    java.util.Arrays.fill(ram, value);
  }

  byte at(long gpa) {
    return ram[(int) (gpa - base)];
  }

  @Override
  public void read(long gpa, byte[] dst, int dstOffset, int length) {
    check(gpa, length);
    System.arraycopy(ram, (int) (gpa - base), dst, dstOffset, length);
  }

  @Override
  public void write(long gpa, byte[] src, int srcOffset, int length) {
    check(gpa, length);
    writes.add(new long[] {gpa, length});
    System.arraycopy(src, srcOffset, ram, (int) (gpa - base), length);
  }

  private void check(long gpa, long length) {
    if (!contains(gpa, length)) {
      throw new AssertionError("access outside RAM", new GuestMemoryException(gpa, length));
    }
  }
}
