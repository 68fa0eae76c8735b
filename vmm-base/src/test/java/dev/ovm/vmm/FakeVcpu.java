package dev.ovm.vmm;

import java.util.function.LongFunction;

/** A scripted vCPU for run-loop tests: each run retires instructions and exits as told. */
class FakeVcpu implements Vcpu {
  private final int id;
  private final LongFunction<VcpuExit> script;
  private long retired;
  volatile boolean wake;
  volatile boolean exitRequested;
  int runs;

  /** {@code script} maps the budget of each run to its exit; the budget is always retired. */
  FakeVcpu(int id, LongFunction<VcpuExit> script) {
    this.id = id;
    this.script = script;
  }

  @Override
  public int id() {
    return id;
  }

  @Override
  public VcpuExit run(long maxInstructions) {
    runs++;
    retired += maxInstructions;
    return script.apply(maxInstructions);
  }

  @Override
  public long retired() {
    return retired;
  }

  @Override
  public boolean wakeable() {
    return wake;
  }

  @Override
  public void requestExit() {
    exitRequested = true;
  }
}
