package dev.ovm.manager.cli;

import dev.ovm.manager.machine.MachineBuilder;
import dev.ovm.manager.machine.MachineConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ovm dtb}: writes the flattened device tree that {@code ovm run} would give a guest with
 * the same {@code -m}, {@code -smp} and {@code -append}, so it can be inspected with {@code dtc -I
 * dtb -O dts}.
 */
@Command(
    name = "dtb",
    description = "Write the board's device tree blob (check it with: dtc -I dtb -O dts FILE).",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    separator = " ")
public final class DtbCommand implements Callable<Integer> {
  @Spec @Nullable CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "ovm-virt.dtb",
      description = "Where to write the blob (default: ${DEFAULT-VALUE}).")
  Path output = Path.of("ovm-virt.dtb");

  @Option(names = "-m", paramLabel = "SIZE", defaultValue = "128M", converter = SizeConverter.class,
      description = "RAM size (default: ${DEFAULT-VALUE}).")
  long memory = 128L << 20;

  @Option(names = "-smp", paramLabel = "N", defaultValue = "1", description = "Number of harts (default: 1).")
  int harts = 1;

  @Option(names = "-append", paramLabel = "ARGS", defaultValue = "", description = "Kernel command line.")
  String append = "";

  /** Picocli instantiates the command. */
  public DtbCommand() {}

  @Override
  public Integer call() {
    MachineConfig config;
    try {
      config =
          new MachineConfig(
              "vm0",
              Optional.empty(), Optional.empty(), memory, harts, append, Optional.empty(), true);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
    byte[] blob = MachineBuilder.deviceTree(config, null);
    try {
      Files.write(output, blob);
    } catch (IOException e) {
      throw new UserError("cannot write " + output + ": " + e.getMessage(), e);
    }
    PrintWriter out = spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
    out.println("wrote " + output + " (" + blob.length + " bytes)");
    out.flush();
    return 0;
  }
}
