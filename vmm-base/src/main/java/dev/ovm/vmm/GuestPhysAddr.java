package dev.ovm.vmm;

import org.checkerframework.checker.lock.qual.GuardSatisfied;

/**
 * A guest-physical address, as an API-boundary type. Inside the interpreter and TLB addresses are
 * plain {@code long}s; this record keeps them apart from host and guest-virtual values where
 * modules meet.
 *
 * @param value the address, an unsigned 64-bit quantity held in a {@code long}
 */
public record GuestPhysAddr(long value) {

  /** Returns this address plus {@code delta} bytes (wrapping, as address arithmetic does). */
  public GuestPhysAddr plus(long delta) {
    return new GuestPhysAddr(value + delta);
  }

  @Override
  public String toString(@GuardSatisfied GuestPhysAddr this) {
    return String.format("0x%x", value);
  }
}
