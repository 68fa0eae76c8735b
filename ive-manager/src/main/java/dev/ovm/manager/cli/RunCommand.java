package dev.ovm.manager.cli;

import dev.ovm.manager.console.ConsoleStreams;
import dev.ovm.manager.console.SerialConsole;
import dev.ovm.manager.machine.Machine;
import dev.ovm.manager.machine.MachineBuilder;
import dev.ovm.manager.machine.MachineConfig;
import dev.ovm.vmm.RunLimits;
import dev.ovm.vmm.StopReason;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ovm run}: boots a guest on the virt board with QEMU-shaped flags and returns the guest's
 * exit status (the test finisher's code; 0 = pass). With no arguments it boots the demo guest
 * embedded in the jar.
 */
@Command(
    name = "run",
    description = "Boot a RISC-V guest on the virt board (serial on this terminal; Ctrl-A x quits).",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    separator = " ")
public final class RunCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Option(names = "-kernel", paramLabel = "FILE", description = "ELF or raw image to boot (default: the embedded demo guest).")
  @Nullable Path kernel;

  @Option(names = "-bios", paramLabel = "none|FILE", defaultValue = "none",
      description = "Firmware at 0x80000000 (the kernel then goes at 0x80200000), or none (default).")
  String bios = "none";

  @Option(names = "-m", paramLabel = "SIZE", defaultValue = "128M", converter = SizeConverter.class,
      description = "RAM size, e.g. 128M or 1G (default: ${DEFAULT-VALUE}).")
  long memory = 128L << 20;

  @Option(names = "-smp", paramLabel = "N", defaultValue = "1", description = "Number of harts (default: 1).")
  int harts = 1;

  @Option(names = "-append", paramLabel = "ARGS", defaultValue = "", description = "Kernel command line (/chosen/bootargs).")
  String append = "";

  @Option(names = "-initrd", paramLabel = "FILE", description = "Initial RAM disk.")
  @Nullable Path initrd;

  @Option(names = "-nographic", description = "Serial on the terminal (always the case; accepted for QEMU users).")
  boolean nographic;

  @Option(names = "--max-insns", paramLabel = "N", description = "Stop after N instructions (exit status 125).")
  @Nullable Long maxInstructions;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop after this many wall-clock seconds (exit status 124).")
  @Nullable Double timeoutSeconds;

  @Option(names = "--clock", paramLabel = "deterministic|realtime", defaultValue = "deterministic",
      description = "Guest time source: retired instructions (reproducible, default) or the host clock.")
  String clock = "deterministic";

  @Option(names = {"-q", "--quiet"}, description = "Print only the guest's output.")
  boolean quiet;

  private final ConsoleStreams streams;

  /** A command on the process's standard streams. */
  public RunCommand() {
    this(ConsoleStreams.standard());
  }

  /** A command whose guest console uses {@code streams} (tests). */
  public RunCommand(ConsoleStreams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    MachineConfig config = config();
    RunLimits limits = limits();
    StopReason reason;
    long retired;
    long nanos;
    try (SerialConsole console = new SerialConsole(streams)) {
      Machine machine;
      try {
        machine = new MachineBuilder(config, console.output(), console.interactive()).build();
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage(), e);
      }
      try (machine) {
        console.startInput(machine::typeKey, machine::quit);
        long start = System.nanoTime();
        reason = machine.run(limits);
        nanos = System.nanoTime() - start;
        retired = machine.retired();
      }
    }
    if (!quiet) {
      summary(retired, nanos);
    }
    return reason.exitStatus();
  }

  private void summary(long instructions, long nanos) {
    PrintWriter err = spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
    double seconds = nanos / 1e9;
    err.println(
        String.format(
            Locale.ROOT,
            "[ovm] %d instructions in %.3f s: %.1f MIPS",
            instructions,
            seconds,
            seconds > 0 ? instructions / seconds / 1e6 : 0.0));
    err.flush();
  }

  private MachineConfig config() {
    Optional<Path> firmware = "none".equals(bios) ? Optional.empty() : Optional.of(Path.of(bios));
    if (!"deterministic".equals(clock) && !"realtime".equals(clock)) {
      throw new UserError("--clock must be deterministic or realtime, got '" + clock + "'");
    }
    try {
      return new MachineConfig(
          Optional.ofNullable(kernel),
          firmware,
          memory,
          harts,
          append,
          Optional.ofNullable(initrd),
          "deterministic".equals(clock));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }

  private RunLimits limits() {
    Long max = maxInstructions;
    if (max != null && max < 1) {
      throw new UserError("--max-insns must be positive, got " + max);
    }
    Double timeout = timeoutSeconds;
    if (timeout != null && !(timeout > 0 && timeout < 1e9)) {
      throw new UserError("--timeout must be a positive number of seconds, got " + timeout);
    }
    return new RunLimits(
        max == null ? Long.MAX_VALUE : max,
        timeout == null ? Duration.ZERO : Duration.ofNanos((long) (timeout * 1e9)),
        RunLimits.DEFAULT_QUANTUM);
  }
}
