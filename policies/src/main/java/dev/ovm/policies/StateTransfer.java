package dev.ovm.policies;

import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.SchedulerState;
import dev.ovm.vmm.sched.StateFormat;
import dev.ovm.vmm.sched.StateNegotiation;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * K42-style state transfer between an old and a new scheduling policy (Hui et al., HotOS 2001;
 * Soules et al., USENIX ATC 2003): negotiate the richest format both sides support, export from the
 * old policy, import into the new one.
 *
 * <p>Calling contract: as for the hooks, the caller holds the pool's scheduling lock and has
 * quiesced the pool's physical CPUs (no vCPU is running). The old policy is only read; if the import
 * fails, every vCPU's {@link SchedVcpu#policyData()} slot is restored, so the old policy can go on
 * as if nothing happened.
 */
public final class StateTransfer {
  private StateTransfer() {}

  /**
   * The format to use from {@code from} to {@code to}: of those {@code from} exports and {@code to}
   * imports, the one with the highest {@link StateFormat#richness()}; among equally rich ones, the
   * one {@code to} lists first.
   *
   * @throws IllegalArgumentException if the two share no format
   */
  public static StateFormat negotiate(Scheduler from, Scheduler to) {
    return StateNegotiation.negotiate(from, to).orElseThrow(() -> new IllegalArgumentException(
        from.name() + " and " + to.name() + " share no state format"));
  }

  /**
   * Moves the state of {@code from} into {@code to} (fresh and already started) in the negotiated
   * format and returns that format. Each vCPU's policy-data slot is cleared between the export and
   * the import (the slot belongs to the current policy).
   *
   * @throws IllegalArgumentException if there is no common format or {@code to} refuses the state;
   *     the slots are then restored and {@code from} is untouched
   */
  public static StateFormat transfer(Scheduler from, Scheduler to) {
    StateFormat format = negotiate(from, to);
    SchedulerState state = from.exportState(format);
    List<SchedVcpu> vcpus = state.vcpus();
    List<@Nullable Object> saved = new ArrayList<>(vcpus.size());
    for (SchedVcpu vcpu : vcpus) {
      saved.add(vcpu.policyData());
      vcpu.setPolicyData(null);
    }
    try {
      to.importState(state);
    } catch (RuntimeException e) {
      for (int i = 0; i < vcpus.size() && i < saved.size(); i++) {
        vcpus.get(i).setPolicyData(saved.get(i));
      }
      throw e;
    }
    return format;
  }
}
