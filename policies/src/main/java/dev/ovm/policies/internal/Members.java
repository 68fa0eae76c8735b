package dev.ovm.policies.internal;

import dev.ovm.vmm.sched.SchedVcpu;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checkerframework.checker.signedness.qual.Signed;

/**
 * The vCPUs a policy holds, each with the policy's private data, in insertion order.
 *
 * <p>Invariant: every vCPU appears at most once (identity, as {@link SchedVcpu} defines it). The
 * data object is also stored in {@link SchedVcpu#setPolicyData} for dumps and debuggers; lookups
 * go through this table, so a stale slot left by another policy can never be mistaken for ours.
 *
 * @param <D> the policy's per-vCPU data type
 */
public final class Members<D extends @Signed Object> {
  private final Map<SchedVcpu, D> byVcpu = new LinkedHashMap<>();

  /**
   * Adds {@code vcpu} with {@code data}.
   *
   * @throws IllegalArgumentException if {@code vcpu} is already present
   */
  public D add(SchedVcpu vcpu, D data) {
    if (byVcpu.containsKey(vcpu)) {
      throw new IllegalArgumentException(vcpu.key() + " is already in this scheduler");
    }
    byVcpu.put(vcpu, data);
    vcpu.setPolicyData(data);
    return data;
  }

  /**
   * Removes {@code vcpu} and returns its data.
   *
   * @throws IllegalStateException if {@code vcpu} is not present
   */
  public D remove(SchedVcpu vcpu) {
    D data = byVcpu.remove(vcpu);
    if (data == null) {
      throw notMember(vcpu);
    }
    vcpu.setPolicyData(null);
    return data;
  }

  /**
   * The data of {@code vcpu}.
   *
   * @throws IllegalStateException if {@code vcpu} is not present (a runtime contract violation)
   */
  public D get(SchedVcpu vcpu) {
    D data = byVcpu.get(vcpu);
    if (data == null) {
      throw notMember(vcpu);
    }
    return data;
  }

  /** Whether {@code vcpu} is present. */
  public boolean contains(SchedVcpu vcpu) {
    return byVcpu.containsKey(vcpu);
  }

  /** The number of vCPUs. */
  public int size() {
    return byVcpu.size();
  }

  /** A snapshot of the vCPUs in insertion order. */
  public List<SchedVcpu> vcpus() {
    return new ArrayList<>(byVcpu.keySet());
  }

  /** The vCPUs of VM {@code vm}, in insertion order (empty if none). */
  public List<SchedVcpu> vcpusOf(String vm) {
    List<SchedVcpu> result = new ArrayList<>();
    for (SchedVcpu vcpu : byVcpu.keySet()) {
      if (vcpu.vm().equals(vm)) {
        result.add(vcpu);
      }
    }
    return result;
  }

  /**
   * Every vCPU exactly once: first those of {@code front} (e.g. a run queue, next to run first),
   * then the rest in insertion order. Entries of {@code front} that are not members are skipped.
   */
  public List<SchedVcpu> inQueueOrder(Iterable<SchedVcpu> front) {
    java.util.Set<SchedVcpu> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    List<SchedVcpu> order = new ArrayList<>(byVcpu.size());
    for (SchedVcpu vcpu : front) {
      if (byVcpu.containsKey(vcpu) && seen.add(vcpu)) {
        order.add(vcpu);
      }
    }
    for (SchedVcpu vcpu : byVcpu.keySet()) {
      if (seen.add(vcpu)) {
        order.add(vcpu);
      }
    }
    return order;
  }

  /** The live entries, insertion order (do not add or remove while iterating). */
  // Sound: the keys are exactly the map's keys; the Nullness Checker's @KeyFor refinement of the
  // entry type is all that is dropped, and callers never use the keys to index the map.
  @SuppressWarnings("keyfor")
  public Iterable<Map.Entry<SchedVcpu, D>> entries() {
    return byVcpu.entrySet();
  }

  private static IllegalStateException notMember(SchedVcpu vcpu) {
    return new IllegalStateException(vcpu.key() + " is not in this scheduler");
  }
}
