package dev.ovm.manager.control;

import dev.ovm.manager.control.CommandSpec.Kind;
import dev.ovm.manager.control.CommandSpec.Param;
import java.util.List;
import java.util.Optional;

/**
 * Every operator command, in the order {@code help} lists them. The single table behind the
 * console's parser, completion and help, the socket's {@code execute} names and {@code ovm ctl}.
 */
public final class CommandCatalog {
  private static final Param VM = new Param("vm", Kind.VM, false);
  private static final Param POOL = new Param("pool", Kind.POOL, false);

  private static final List<CommandSpec> COMMANDS = List.of(
      new CommandSpec("help", "help", List.of(new Param("command", Kind.COMMAND, true)),
          "list the commands, or describe one",
          "With no argument, lists every command; with a command name, shows its usage and what it does.",
          b -> new ControlCommand.Help(Optional.ofNullable(b.values().get("command")))),
      new CommandSpec("info-vms", "info vms", List.of(),
          "every VM: state, vCPUs, pool, instructions",
          "Lists every VM, running, paused or ended, with its state, vCPU count, pool and instructions retired.",
          b -> new ControlCommand.InfoVms()),
      new CommandSpec("info-pools", "info pools", List.of(),
          "every pool: physical CPUs, policy, VMs",
          "Lists every pool of physical CPUs with its current policy, its VMs and its counters.",
          b -> new ControlCommand.InfoPools()),
      new CommandSpec("info-vm", "info vm", List.of(VM),
          "one VM in detail, with its policy parameters",
          "Shows one VM: state, vCPUs, pool, instructions retired, resets, and the pool policy's parameters for it.",
          b -> new ControlCommand.InfoVm(b.get("vm"))),
      new CommandSpec("stats", "stats", List.of(),
          "the per-VM statistics table",
          "The table ovm run prints at exit, as it stands now: instructions, share, context switches, "
              + "wake-up latency percentiles and how each ended VM ended.",
          b -> new ControlCommand.Stats()),
      new CommandSpec("pause", "pause", List.of(VM),
          "take a VM's vCPUs off the physical CPUs",
          "Pauses a running VM: its vCPUs keep their state but are not scheduled until resumed. Guest time goes on.",
          b -> new ControlCommand.Pause(b.get("vm"))),
      new CommandSpec("resume", "resume", List.of(VM),
          "let a paused VM run again",
          "Resumes a paused VM.",
          b -> new ControlCommand.Resume(b.get("vm"))),
      new CommandSpec("reset", "reset", List.of(VM),
          "reset a VM to its just-created state and start it again",
          "Resets the VM's harts and devices, clears its RAM and reloads its boot images (firmware, kernel, "
              + "device tree, initrd) as at boot, then starts it again (a paused VM stays paused). Its vCPUs "
              + "stay in their pool under the current policy; other VMs run on.",
          b -> new ControlCommand.Reset(b.get("vm"))),
      new CommandSpec("destroy", "destroy", List.of(VM),
          "end a VM",
          "Ends the VM at once (exit status 0, \"destroyed by the operator\"); the others run on.",
          b -> new ControlCommand.Destroy(b.get("vm"))),
      new CommandSpec("swap", "swap", List.of(POOL, new Param("policy", Kind.POLICY, false)),
          "hot-swap a pool's scheduling policy",
          "Replaces the pool's policy while its VMs run, transferring state in the richest format both "
              + "policies support; prints the format and the pause it caused. A refused swap leaves the old policy.",
          b -> new ControlCommand.Swap(b.get("pool"), b.get("policy"))),
      new CommandSpec("set", "set", List.of(VM, new Param("parameters", Kind.ASSIGNMENTS, false)),
          "set a VM's policy parameters",
          "Sets policy parameters of a VM (e.g. weight=512 cap=25, or period=... budget=... for edf) as one "
              + "set: the policy validates them, and if any is refused none is changed.",
          b -> new ControlCommand.Set(b.get("vm"), b.assignments())),
      new CommandSpec("set-pool", "set-pool",
          List.of(POOL, new Param("parameters", Kind.ASSIGNMENTS, false)),
          "set a pool's pool-wide policy parameters",
          "Sets parameters the pool's policy holds for the whole pool rather than for one VM (e.g. "
              + "slice=... for credit, quantum=... for round-robin) as one set: if any is refused none "
              + "is changed. info pools shows them.",
          b -> new ControlCommand.SetPool(b.get("pool"), b.assignments())),
      new CommandSpec("move", "move", List.of(VM, POOL),
          "move a VM to another pool",
          "Moves a running VM's vCPUs to another pool, whose policy then schedules them.",
          b -> new ControlCommand.Move(b.get("vm"), b.get("pool"))),
      new CommandSpec("policies", "policies", List.of(),
          "the scheduling policies swap accepts",
          "Lists the registered scheduling policies by name.",
          b -> new ControlCommand.Policies()),
      new CommandSpec("quit", "quit", List.of(),
          "stop every VM and end ovm",
          "Stops every VM and ends the ovm process, as Ctrl-A x does (exit status 0).",
          b -> new ControlCommand.Quit()));

  private CommandCatalog() {}

  /** Every command, in help order. */
  public static List<CommandSpec> all() {
    return COMMANDS;
  }

  /** The command whose socket name or console words are {@code name}, if any. */
  public static Optional<CommandSpec> find(String name) {
    for (CommandSpec spec : COMMANDS) {
      if (spec.name().equals(name) || spec.words().equals(name)) {
        return Optional.of(spec);
      }
    }
    return Optional.empty();
  }

  /** The spec a command was built from. */
  public static CommandSpec specOf(ControlCommand command) {
    String name = switch (command) {
      case ControlCommand.Help h -> "help";
      case ControlCommand.InfoVms i -> "info-vms";
      case ControlCommand.InfoPools i -> "info-pools";
      case ControlCommand.InfoVm i -> "info-vm";
      case ControlCommand.Stats s -> "stats";
      case ControlCommand.Pause p -> "pause";
      case ControlCommand.Resume r -> "resume";
      case ControlCommand.Reset r -> "reset";
      case ControlCommand.Destroy d -> "destroy";
      case ControlCommand.Swap s -> "swap";
      case ControlCommand.Set s -> "set";
      case ControlCommand.SetPool s -> "set-pool";
      case ControlCommand.Move m -> "move";
      case ControlCommand.Policies p -> "policies";
      case ControlCommand.Quit q -> "quit";
    };
    return find(name).orElseThrow();
  }
}
