package dev.ovm.vmm;

import dev.ovm.vmm.sched.Decision;
import dev.ovm.vmm.sched.SchedVcpu;
import dev.ovm.vmm.sched.Scheduler;
import dev.ovm.vmm.sched.SchedulerState;
import dev.ovm.vmm.sched.StateFormat;
import dev.ovm.vmm.sched.VcpuState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A minimal FIFO policy for runtime tests (the real policies live in the policies module). */
class FifoScheduler implements Scheduler {
  private final String name;
  private final long quantum;
  final Deque<SchedVcpu> queue = new ArrayDeque<>();
  final List<SchedVcpu> all = new ArrayList<>();

  FifoScheduler(String name, long quantum) {
    this.name = name;
    this.quantum = quantum;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void insert(SchedVcpu vcpu) {
    all.add(vcpu);
    if (vcpu.state() == VcpuState.RUNNABLE) {
      queue.addLast(vcpu);
    }
  }

  @Override
  public void remove(SchedVcpu vcpu) {
    all.remove(vcpu);
    queue.remove(vcpu);
  }

  @Override
  public void wake(SchedVcpu vcpu) {
    if (!queue.contains(vcpu)) {
      queue.addLast(vcpu);
    }
  }

  @Override
  public Decision pickNext(int cpu, long now) {
    SchedVcpu next = queue.pollFirst();
    return next == null ? Decision.IDLE : Decision.run(next, quantum);
  }

  @Override
  public void account(SchedVcpu vcpu, int cpu, long instructions, long now) {
    if (vcpu.state() == VcpuState.RUNNABLE) {
      queue.addLast(vcpu);
    }
  }

  @Override
  public List<StateFormat> exportFormats() {
    return List.of(StateFormat.RUN_QUEUE);
  }

  @Override
  public List<StateFormat> importFormats() {
    return List.of(StateFormat.RUN_QUEUE);
  }

  @Override
  public SchedulerState exportState(StateFormat format) {
    List<SchedVcpu> order = new ArrayList<>(queue);
    for (SchedVcpu v : all) {
      if (!order.contains(v)) {
        order.add(v);
      }
    }
    return new SchedulerState.RunQueue(order);
  }

  @Override
  public void importState(SchedulerState state) {
    queue.clear();
    all.clear();
    for (SchedVcpu v : state.vcpus()) {
      insert(v);
    }
  }
}
