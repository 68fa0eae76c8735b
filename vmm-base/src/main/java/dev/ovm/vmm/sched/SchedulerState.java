package dev.ovm.vmm.sched;

import java.util.List;
import java.util.Map;

/**
 * A scheduler's exported state, in one of the {@link StateFormat}s. Immutable. Every format lists
 * every vCPU of the pool exactly once, with its state, so that no vCPU can be lost in a swap.
 */
public sealed interface SchedulerState {

  /** The format of this state. */
  StateFormat format();

  /** Every vCPU of the pool, in the exporting scheduler's queue order (next to run first). */
  List<SchedVcpu> vcpus();

  /**
   * Plain run queue.
   *
   * @param vcpus every vCPU, queue order
   */
  record RunQueue(List<SchedVcpu> vcpus) implements SchedulerState {
    /** Copies the list. */
    public RunQueue {
      vcpus = List.copyOf(vcpus);
    }

    @Override
    public StateFormat format() {
      return StateFormat.RUN_QUEUE;
    }
  }

  /**
   * Per-VM share parameters.
   *
   * @param weight relative weight, at least 1
   * @param capPercent cap in percent of one physical CPU summed over the VM's vCPUs (0 = none)
   */
  record Share(int weight, int capPercent) {}

  /**
   * Proportional share: run queue plus per-VM shares and per-vCPU consumption.
   *
   * @param vcpus every vCPU, queue order
   * @param shares per VM name
   * @param consumed per vCPU key ({@link SchedVcpu#key()}): instructions consumed so far
   * @param credit per vCPU key: the current credit (or lag) balance, in instructions
   */
  record ProportionalShare(
      List<SchedVcpu> vcpus, Map<String, Share> shares, Map<String, Long> consumed, Map<String, Long> credit)
      implements SchedulerState {
    /** Copies the collections. */
    public ProportionalShare {
      vcpus = List.copyOf(vcpus);
      shares = Map.copyOf(shares);
      consumed = Map.copyOf(consumed);
      credit = Map.copyOf(credit);
    }

    @Override
    public StateFormat format() {
      return StateFormat.PROPORTIONAL_SHARE;
    }
  }

  /**
   * Per-vCPU reservation of a deadline scheduler.
   *
   * @param period in instructions
   * @param budget in instructions per period, at most the period
   * @param remaining budget left in the current period
   * @param deadline absolute deadline of the current period, in pool instructions
   */
  record Reservation(long period, long budget, long remaining, long deadline) {}

  /**
   * Deadline: run queue plus per-vCPU reservations.
   *
   * @param vcpus every vCPU, queue order
   * @param reservations per vCPU key
   */
  record Deadline(List<SchedVcpu> vcpus, Map<String, Reservation> reservations)
      implements SchedulerState {
    /** Copies the collections. */
    public Deadline {
      vcpus = List.copyOf(vcpus);
      reservations = Map.copyOf(reservations);
    }

    @Override
    public StateFormat format() {
      return StateFormat.DEADLINE;
    }
  }
}
