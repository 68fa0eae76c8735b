package dev.ovm.policies.internal;

import java.util.List;

/**
 * Parsing and validation of textual policy parameters. Every failure is an {@link
 * IllegalArgumentException} with a one-line message naming the key and the accepted range.
 */
public final class ParameterValues {
  /**
   * The VM name under which pool-wide parameters (quantum, slice) are read and set, as in {@code
   * setParameter("*", "quantum", "200000")}.
   */
  public static final String POOL = dev.ovm.vmm.sched.Scheduler.POOL;

  private ParameterValues() {}

  /**
   * Parses {@code value} as a decimal long in {@code [min, max]}.
   *
   * @throws IllegalArgumentException if it is not a number or out of range
   */
  public static long parse(String key, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
    }
    return requireRange(key, parsed, min, max);
  }

  /**
   * Checks that an already numeric {@code value} (e.g. from an imported state) is in {@code [min,
   * max]}.
   *
   * @throws IllegalArgumentException if it is out of range
   */
  public static long requireRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", not " + value);
    }
    return value;
  }

  /** Parses an int in {@code [min, max]}; see {@link #parse}. */
  public static int parseInt(String key, String value, int min, int max) {
    return (int) parse(key, value, min, max);
  }

  /**
   * Rejects a key the policy does not know.
   *
   * @throws IllegalArgumentException naming the policy and the keys it accepts
   */
  public static IllegalArgumentException unknownKey(String policy, String key, List<String> known) {
    return new IllegalArgumentException(
        policy + " has no parameter '" + key + "' (known: " + String.join(", ", known) + ")");
  }

  /**
   * Rejects a VM the policy holds no vCPU of.
   *
   * @throws IllegalArgumentException naming the VM
   */
  public static IllegalArgumentException unknownVm(String policy, String vm) {
    return new IllegalArgumentException(policy + " holds no vCPU of VM '" + vm + "'");
  }
}
