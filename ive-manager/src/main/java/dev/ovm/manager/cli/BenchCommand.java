package dev.ovm.manager.cli;

import dev.ovm.policies.Policies;
import dev.ovm.vmm.Platform;
import dev.ovm.vmm.RunLimits;
import dev.ovm.vmm.Vcpu;
import dev.ovm.vmm.VcpuExit;
import dev.ovm.vmm.Vm;
import dev.ovm.vmm.Vmm;
import dev.ovm.vmm.pool.CpuPool;
import dev.ovm.vmm.time.HostClock;
import dev.ovm.vmm.time.InstructionClock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ovm bench}: the VMM runtime's own measurements, with synthetic busy vCPUs so that only
 * the runtime is measured.
 *
 * <ul>
 *   <li>{@code swap}: VMs × vCPUs busy on a realtime pool (physical CPUs are host threads); the
 *       pool's policy is swapped back and forth between two policies; reports the pause of each
 *       swap (from the request until every physical CPU runs under the new policy).
 *   <li>{@code sched}: the cost of one scheduling decision (account + pick) of each policy, from a
 *       deterministic run whose vCPUs retire their whole quantum at once.
 * </ul>
 */
@Command(name = "bench", description = "Measure the VMM runtime: swap pause, scheduling overhead.",
    mixinStandardHelpOptions = true, separator = " ")
public final class BenchCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "swap|sched", description = "What to measure.")
  String what = "swap";

  @Option(names = "--vms", defaultValue = "4", description = "VMs (default 4).")
  int vms = 4;

  @Option(names = "--vcpus", defaultValue = "4", description = "vCPUs per VM (default 4).")
  int vcpus = 4;

  @Option(names = "--swaps", defaultValue = "200", description = "Swaps to measure (default 200).")
  int swaps = 200;

  @Option(names = "--pcpus", description = "Physical CPUs (default: one per host core).")
  @Nullable Integer pcpus;

  /** Picocli instantiates the command. */
  public BenchCommand() {}

  @Override
  public Integer call() {
    if (vms < 1 || vcpus < 1 || swaps < 1) {
      throw new UserError("--vms, --vcpus and --swaps must be positive");
    }
    PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
    // the synthetic VMs come and go by the dozen: keep their lifecycle records out of the result
    java.util.logging.Logger.getLogger("dev.ovm.lifecycle").setLevel(java.util.logging.Level.WARNING);
    switch (what) {
      case "swap" -> swapPause(out);
      case "sched" -> schedulingOverhead(out);
      default -> throw new UserError("unknown benchmark '" + what + "' (swap or sched)");
    }
    out.flush();
    return 0;
  }

  /** A vCPU that is always busy: it spins briefly per slice, as a guest would compute. */
  static final class BusyVcpu implements Vcpu {
    private final int id;
    private final long spinNanos;
    private volatile long retired;
    private volatile boolean exit;

    BusyVcpu(int id, long spinNanos) {
      this.id = id;
      this.spinNanos = spinNanos;
    }

    @Override
    public int id() {
      return id;
    }

    @Override
    public VcpuExit run(long maxInstructions) {
      long end = System.nanoTime() + spinNanos;
      while (System.nanoTime() < end && !exit) {
        Thread.onSpinWait();
      }
      exit = false;
      retired = retired + maxInstructions;
      return VcpuExit.QUANTUM;
    }

    @Override
    public long retired() {
      return retired;
    }

    @Override
    public boolean wakeable() {
      return true;
    }

    @Override
    public void requestExit() {
      exit = true;
    }
  }

  private int cpus() {
    Integer requested = pcpus;
    return requested != null ? requested : Runtime.getRuntime().availableProcessors();
  }

  private List<Vm> busyVms(Vmm vmm, long spinNanos) {
    List<Vm> list = new ArrayList<>();
    for (int v = 0; v < vms; v++) {
      List<Vcpu> harts = new ArrayList<>();
      for (int c = 0; c < vcpus; c++) {
        harts.add(new BusyVcpu(c, spinNanos));
      }
      list.add(new Vm("vm" + v, harts, vmm.clock(), Platform.NONE));
    }
    return list;
  }

  private void swapPause(PrintWriter out) {
    Vmm vmm = new Vmm(new HostClock(), 10);
    CpuPool pool = vmm.createPool("bench", cpus(), Policies.create("credit"),
        () -> Policies.create("round-robin"), Long.MAX_VALUE);
    for (Vm vm : busyVms(vmm, 50_000)) {
      vmm.addVm(vm, pool);
    }
    List<Long> pauses = new ArrayList<>();
    int[] done = {0};
    long[] nextAt = {System.nanoTime() + 100_000_000L};
    vmm.addRoundListener((v, now) -> {
      if (done[0] < swaps && System.nanoTime() >= nextAt[0]) {
        String next = done[0] % 2 == 0 ? "fair-share" : "credit";
        pauses.add(v.swap(pool, Policies.create(next)).pauseNanos());
        done[0]++;
        nextAt[0] = System.nanoTime() + 2_000_000L;
      } else if (done[0] == swaps) {
        v.placement().keySet().forEach(vm -> vm.requestStop(
            new dev.ovm.vmm.StopReason(dev.ovm.vmm.StopReason.Kind.USER, 0, "bench done")));
      }
    });
    vmm.run(new RunLimits(Long.MAX_VALUE, Duration.ofMinutes(5), 1_000));
    Collections.sort(pauses);
    out.println(String.format(Locale.ROOT,
        "swap pause, %d VMs x %d vCPUs busy on %d physical CPUs (host threads), %d swaps credit<->fair-share:"
            + " median %.1f us, p90 %.1f us, p99 %.1f us, max %.1f us",
        vms, vcpus, cpus(), pauses.size(),
        RunReport.quantile(pauses, 50) / 1e3, RunReport.quantile(pauses, 90) / 1e3,
        RunReport.quantile(pauses, 99) / 1e3, RunReport.quantile(pauses, 100) / 1e3));
  }

  private void schedulingOverhead(PrintWriter out) {
    for (String policy : Policies.names()) {
      Vmm vmm = new Vmm(new InstructionClock(10), 10);
      CpuPool pool = vmm.createPool("bench", cpus(), Policies.create(policy),
          () -> Policies.create("round-robin"), Long.MAX_VALUE);
      for (Vm vm : busyVms(vmm, 0)) {
        vmm.addVm(vm, pool);
      }
      long rounds = 200_000;
      long start = System.nanoTime();
      vmm.run(new RunLimits(rounds * cpus() * 1_000, Duration.ofMinutes(2), 1_000));
      long nanos = System.nanoTime() - start;
      long decisions = 0;
      for (var r : pool.report(true).values()) {
        decisions += r.switchesIn();
      }
      out.println(String.format(Locale.ROOT,
          "%-12s %d VMs x %d vCPUs on %d pCPUs: %.0f ns of runtime per scheduling step"
              + " (%d steps, %d policy decisions)",
          policy, vms, vcpus, cpus(), (double) nanos / (rounds * cpus()), rounds * cpus(), decisions));
    }
  }
}
