package dev.ovm.manager.control;

import dev.ovm.manager.OvmRunner;
import dev.ovm.manager.machine.Machine;
import dev.ovm.manager.machine.MachineBuilder;
import dev.ovm.manager.machine.MachineConfig;
import dev.ovm.policies.Policies;
import dev.ovm.vmm.RunLimits;
import dev.ovm.vmm.StopReason;
import dev.ovm.vmm.Vm;
import dev.ovm.vmm.Vmm;
import dev.ovm.vmm.pool.CpuPool;
import dev.ovm.vmm.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A VMM running the project's guests on a background thread, as {@code ovm run} would, with a
 * {@link VmmControl} on it and each VM's serial output captured. Two pools: {@code pool0} (where
 * every VM starts) and an empty {@code pool1}.
 */
final class LiveVmm implements AutoCloseable {
  final Vmm vmm;
  final List<Machine> machines = new ArrayList<>();
  final Map<String, StringBuffer> output = new LinkedHashMap<>();
  final VmmControl control;
  final CompletableFuture<Map<Vm, StopReason>> result = new CompletableFuture<>();

  /**
   * Starts {@code guests} (VM name to guest file in guests/bin) in pool0 under {@code policy}.
   */
  LiveVmm(String policy, Map<String, String> guests) {
    Clock clock = MachineBuilder.clockFor(true);
    vmm = new Vmm(clock, MachineBuilder.INSTRUCTIONS_PER_TICK);
    CpuPool pool0 = vmm.createPool("pool0", 1, Policies.create(policy), () -> Policies.create("round-robin"), 100_000_000L);
    vmm.createPool("pool1", 1, Policies.create("round-robin"), () -> Policies.create("round-robin"), 100_000_000L);
    for (Map.Entry<String, String> guest : guests.entrySet()) {
      StringBuffer out = new StringBuffer();
      output.put(guest.getKey(), out);
      MachineConfig config = new MachineConfig(guest.getKey(),
          Optional.of(OvmRunner.GUEST_BIN.resolve(guest.getValue())), Optional.empty(), 16L << 20, 1, "",
          Optional.empty(), true);
      Machine machine = new MachineBuilder(config, clock, b -> out.append((char) b)).build();
      machines.add(machine);
      vmm.addVm(machine.vm(), pool0);
    }
    vmm.setAsyncInput(true);
    control = new VmmControl(vmm, machines, MachineBuilder.INSTRUCTIONS_PER_TICK * 10);
    Thread runner = new Thread(() -> {
      try {
        result.complete(vmm.run(new RunLimits(Long.MAX_VALUE, Duration.ofMinutes(5), RunLimits.DEFAULT_QUANTUM)));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      } finally {
        control.vmmStopped();
      }
    }, "live-vmm");
    runner.setDaemon(true);
    runner.start();
  }

  /** Runs a console line. */
  Reply run(String line) {
    return control.execute(CommandParser.parse(line));
  }

  String output(String vm) {
    return output.get(vm).toString();
  }

  /** Waits until {@code condition} holds (at most a minute). */
  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Waits for the VMM to end and returns how each VM ended. */
  Map<Vm, StopReason> end() throws Exception {
    return result.get(2, TimeUnit.MINUTES);
  }

  @Override
  public void close() throws Exception {
    machines.forEach(Machine::quit);
    vmm.kick();
    result.get(2, TimeUnit.MINUTES);
    machines.forEach(Machine::close);
  }
}
