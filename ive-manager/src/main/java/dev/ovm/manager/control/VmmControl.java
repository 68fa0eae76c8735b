package dev.ovm.manager.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ovm.manager.machine.Machine;
import dev.ovm.policies.Policies;
import dev.ovm.vmm.Vm;
import dev.ovm.vmm.Vmm;
import dev.ovm.vmm.pool.CpuPool;
import dev.ovm.vmm.sched.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs operator commands against a live {@link Vmm}: the one executor behind the console, the
 * control socket and {@code ovm ctl}.
 *
 * <p>Every command that reads or changes the VMM is handed to the VMM with {@link Vmm#submit}
 * and runs on its run thread between rounds (in realtime mode: with the affected pool's physical
 * CPUs held at a scheduling point), so it sees a consistent state and needs no lock of its own;
 * the caller's thread waits for the answer. {@code help}, {@code policies} and {@code quit} need
 * no VMM state. A command that fails throws {@link ControlError} and has changed nothing.
 *
 * <p>Thread safety: {@link #execute} may be called from any number of threads at once, but not
 * from the VMM's run thread (it would wait for itself).
 */
public final class VmmControl {
  /** How long a caller waits for the run thread to take a command. */
  private static final long ANSWER_TIMEOUT_SECONDS = 30;

  private final Vmm vmm;
  private final Map<String, Machine> machines = new LinkedHashMap<>();
  private final VmmViews views;
  private final Set<CompletableFuture<Reply>> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;

  /**
   * Controls {@code vmm}, whose VMs are those of {@code machines}.
   *
   * @param instructionsPerMicrosecond converts latencies in instructions to microseconds for
   *     {@code stats}
   */
  public VmmControl(Vmm vmm, List<Machine> machines, long instructionsPerMicrosecond) {
    this.vmm = vmm;
    for (Machine machine : machines) {
      this.machines.put(machine.vm().name(), machine);
    }
    this.views = new VmmViews(vmm, machines, instructionsPerMicrosecond);
  }

  /**
   * Says that the VMM's run loop has returned: commands from now on, and those still waiting,
   * fail with "the VMM has stopped".
   */
  public void vmmStopped() {
    stopped = true;
    for (CompletableFuture<Reply> future : pending) {
      future.completeExceptionally(new ControlError("the VMM has stopped"));
    }
  }

  /**
   * Runs {@code command} and returns its reply.
   *
   * @throws ControlError with a one-line reason; nothing was changed
   */
  public Reply execute(ControlCommand command) {
    return switch (command) {
      case ControlCommand.Help help -> HelpText.reply(help.command());
      case ControlCommand.Policies p -> policies();
      case ControlCommand.Quit q -> quit();
      default -> onRunThread(() -> live(command));
    };
  }

  /**
   * Runs a console line and returns the text to print: the reply's text, or {@code error: ...}.
   * Never throws for a bad line (the serial console's monitor uses it).
   */
  public String executeLine(String line) {
    try {
      return execute(CommandParser.parse(line)).text();
    } catch (ControlError e) {
      return "error: " + e.getMessage();
    }
  }

  private Reply onRunThread(Supplier<Reply> action) {
    if (stopped) {
      throw new ControlError("the VMM has stopped");
    }
    CompletableFuture<Reply> future = new CompletableFuture<>();
    pending.add(future);
    vmm.submit(v -> {
      try {
        future.complete(action.get());
      } catch (ControlError e) {
        future.completeExceptionally(e);
      } catch (dev.ovm.manager.cli.UserError e) {
        future.completeExceptionally(new ControlError(String.valueOf(e.getMessage())));
      } catch (IllegalArgumentException | IllegalStateException e) {
        future.completeExceptionally(new ControlError(String.valueOf(e.getMessage())));
      } catch (RuntimeException e) {
        future.completeExceptionally(new ControlError("internal error: " + e));
      }
    });
    if (stopped) {
      future.completeExceptionally(new ControlError("the VMM has stopped"));
    }
    try {
      return future.get(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof ControlError error ? error : new ControlError("internal error: " + cause);
    } catch (TimeoutException e) {
      throw new ControlError("the VMM did not take the command within " + ANSWER_TIMEOUT_SECONDS + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ControlError("interrupted while waiting for the VMM");
    } finally {
      pending.remove(future);
    }
  }

  /** Runs on the VMM's run thread. */
  private Reply live(ControlCommand command) {
    return switch (command) {
      case ControlCommand.InfoVms i -> views.vms();
      case ControlCommand.InfoPools i -> views.pools();
      case ControlCommand.InfoVm i -> views.vm(views.anyVm(i.vm()));
      case ControlCommand.Stats s -> views.stats();
      case ControlCommand.Pause p -> lifecycle(p.vm(), "paused", vmm::pause);
      case ControlCommand.Resume r -> lifecycle(r.vm(), "resumed", vmm::resume);
      case ControlCommand.Reset r -> lifecycle(r.vm(), "reset", vm -> vmm.reset(vm, machine(vm)::reset));
      case ControlCommand.Destroy d -> lifecycle(d.vm(), "destroyed", vmm::destroy);
      case ControlCommand.Swap s -> swap(s);
      case ControlCommand.Set s -> set(s);
      case ControlCommand.SetPool s -> setPool(s);
      case ControlCommand.Move m -> move(m);
      case ControlCommand.Help h -> HelpText.reply(h.command());
      case ControlCommand.Policies p -> policies();
      case ControlCommand.Quit q -> quit();
    };
  }

  private Reply lifecycle(String name, String done, java.util.function.Consumer<Vm> action) {
    Vm vm = views.liveVm(name);
    action.accept(vm);
    ObjectNode data = json().createObjectNode();
    data.put("vm", vm.name());
    data.put("state", VmmViews.stateName(vm));
    return new Reply(data, vm.name() + " " + done);
  }

  private Machine machine(Vm vm) {
    Machine machine = machines.get(vm.name());
    if (machine == null) {
      throw new ControlError("VM " + vm.name() + " has no machine to reset");
    }
    return machine;
  }

  private Reply swap(ControlCommand.Swap command) {
    CpuPool pool = views.pool(command.pool());
    if (!Policies.names().contains(command.policy())) {
      throw new ControlError("unknown policy '" + command.policy() + "' (known: "
          + String.join(", ", Policies.names()) + ")");
    }
    String from = pool.schedulerName();
    Vmm.SwapResult result = vmm.swap(pool, Policies.create(command.policy()));
    ObjectNode data = json().createObjectNode();
    data.put("pool", pool.name());
    data.put("from", from);
    data.put("to", command.policy());
    data.put("format", result.format().toString());
    data.put("pause-us", result.pauseNanos() / 1000.0);
    return new Reply(data, String.format(java.util.Locale.ROOT, "%s: %s -> %s via %s (pause %.1f us)",
        pool.name(), from, command.policy(), result.format(), result.pauseNanos() / 1e3));
  }

  /**
   * Applies the parameters as a set; if the policy refuses one, the ones applied before it are
   * put back to their old values, so a refused {@code set} changes nothing.
   */
  private Reply set(ControlCommand.Set command) {
    Vm vm = views.liveVm(command.vm());
    Map<String, String> now = applyAsOneSet(views.poolOf(vm), vm.name(), command.parameters(), vm.name());
    ObjectNode data = json().createObjectNode();
    data.put("vm", vm.name());
    data.set("parameters", json().valueToTree(now));
    return new Reply(data, vm.name() + ": " + VmmViews.parameterText(now));
  }

  private Reply setPool(ControlCommand.SetPool command) {
    CpuPool pool = views.pool(command.pool());
    Map<String, String> now =
        applyAsOneSet(pool, Scheduler.POOL, command.parameters(), "pool " + pool.name());
    ObjectNode data = json().createObjectNode();
    data.put("pool", pool.name());
    data.set("parameters", json().valueToTree(now));
    return new Reply(data, "pool " + pool.name() + ": " + VmmViews.parameterText(now));
  }

  /**
   * Sets {@code parameters} for {@code target} (a VM's name, or {@code *} for the pool) in
   * {@code pool}'s policy; if the policy refuses one, puts back the ones set before it and fails,
   * so nothing changes. Returns the target's parameters afterwards.
   */
  private static Map<String, String> applyAsOneSet(CpuPool pool, String target,
      Map<String, String> parameters, String label) {
    Map<String, String> before = pool.parameters(target);
    try {
      pool.setParameters(target, parameters);
    } catch (IllegalArgumentException e) {
      Map<String, String> restore = new LinkedHashMap<>();
      for (String key : parameters.keySet()) {
        String old = before.get(key);
        if (old != null) {
          restore.put(key, old);
        }
      }
      pool.setParameters(target, restore);
      throw new ControlError(label + ": " + e.getMessage());
    }
    return pool.parameters(target);
  }

  private Reply move(ControlCommand.Move command) {
    Vm vm = views.liveVm(command.vm());
    CpuPool to = views.pool(command.pool());
    String from = views.poolOf(vm).name();
    vmm.moveVm(vm, to);
    ObjectNode data = json().createObjectNode();
    data.put("vm", vm.name());
    data.put("from", from);
    data.put("to", to.name());
    return new Reply(data, vm.name() + ": " + from + " -> " + to.name());
  }

  private static Reply policies() {
    ArrayNode names = json().createArrayNode();
    Policies.names().forEach(names::add);
    return new Reply(names, String.join("\n", Policies.names()));
  }

  private Reply quit() {
    for (Machine machine : machines.values()) {
      machine.quit("quit by the operator");
    }
    vmm.kick();
    return new Reply(json().createObjectNode(), "stopping every VM");
  }

  private static ObjectMapper json() {
    return Json.MAPPER;
  }

  /** The shared JSON mapper (thread-safe once configured). */
  static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}
  }
}
