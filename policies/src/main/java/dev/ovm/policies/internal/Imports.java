package dev.ovm.policies.internal;

import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.StateFormat;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Checks shared by every policy's {@code exportState}/{@code importState}. */
public final class Imports {
  private Imports() {}

  /**
   * Rejects an import into a policy that already holds vCPUs (the contract imports into a fresh
   * policy only).
   *
   * @throws IllegalArgumentException if {@code size} is not 0
   */
  public static void requireEmpty(Scheduler policy, int size) {
    if (size != 0) {
      throw new IllegalArgumentException(
          policy.name() + " already holds " + size + " vCPUs; import needs a fresh policy");
    }
  }

  /**
   * Rejects a format the policy did not declare.
   *
   * @throws IllegalArgumentException if {@code format} is not in {@code declared}
   */
  public static void requireFormat(Scheduler policy, StateFormat format, List<StateFormat> declared) {
    if (!declared.contains(format)) {
      throw new IllegalArgumentException(policy.name() + " does not support state format " + format);
    }
  }

  /**
   * Returns {@code vcpus} after checking that no vCPU is listed twice.
   *
   * @throws IllegalArgumentException naming the first duplicate
   */
  public static List<SchedVcpu> distinct(List<SchedVcpu> vcpus) {
    Set<SchedVcpu> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SchedVcpu vcpu : vcpus) {
      if (!seen.add(vcpu)) {
        throw new IllegalArgumentException("state lists " + vcpu.key() + " twice");
      }
    }
    return vcpus;
  }
}
