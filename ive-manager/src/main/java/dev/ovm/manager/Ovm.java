package dev.ovm.manager;

import dev.ovm.manager.cli.BenchCommand;
import dev.ovm.manager.cli.ConsoleCommand;
import dev.ovm.manager.cli.CtlCommand;
import dev.ovm.manager.cli.DtbCommand;
import dev.ovm.manager.cli.ImageCommand;
import dev.ovm.manager.console.ConsoleStreams;
import dev.ovm.manager.cli.RunCommand;
import dev.ovm.manager.cli.UserError;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ovm} command: the entry point of the shaded jar and of the {@code ./ovm} launcher.
 * Subcommands: {@code run} (boot guests), {@code dtb} (write the board's device tree), {@code
 * bench}, {@code ctl} and {@code console} (operate a running {@code ovm run --control}) and {@code
 * image} (fetch and build guest images).
 *
 * <p>Contract for the user: a mistake in the command line or in an input file gives one line on
 * standard error starting with {@code ovm:} and exit status 2, never a stack trace; otherwise the
 * exit status is the one the subcommand returns (for {@code run}: the guest's).
 */
@Command(
    name = "ovm",
    mixinStandardHelpOptions = true,
    versionProvider = Ovm.Version.class,
    description = "A type-safe, object-oriented VMM research framework for RISC-V guests.",
    subcommands = {})
public final class Ovm implements Runnable {
  /** Exit status for a usage or input error. */
  public static final int USAGE_ERROR = 2;

  /** Picocli instantiates the command. */
  public Ovm() {}

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "missing command (try 'ovm run' or 'ovm --help')");
  }

  /** Runs the {@code ovm} command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(execute(args, ConsoleStreams.standard(), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the {@code ovm} command line and returns its exit status. A guest's console uses {@code
   * console}; messages for the user go to {@code err}. Tests call this directly.
   */
  public static int execute(String[] args, ConsoleStreams console, PrintWriter err) {
    return execute(args, console, new PrintWriter(System.out, true), err);
  }

  /**
   * As {@link #execute(String[], ConsoleStreams, PrintWriter)}, with the subcommands' own output
   * ({@code ovm ctl}'s results, {@code ovm console}'s session) on {@code out}.
   */
  public static int execute(String[] args, ConsoleStreams console, PrintWriter out, PrintWriter err) {
    LogFormat.install();
    CommandLine cli = new CommandLine(new Ovm());
    cli.addSubcommand(new RunCommand(console));
    cli.addSubcommand(new DtbCommand());
    cli.addSubcommand(new BenchCommand());
    cli.addSubcommand(new CtlCommand());
    cli.addSubcommand(new ConsoleCommand(console));
    cli.addSubcommand(new ImageCommand());
    cli.addSubcommand(new CommandLine.HelpCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (ex, argv) -> {
          String sub = ex.getCommandLine().getCommandName();
          String where = "ovm".equals(sub) ? "ovm" : "ovm " + sub;
          err.println("ovm: " + ex.getMessage() + " (see '" + where + " --help')");
          return USAGE_ERROR;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof UserError user) {
            err.println("ovm: " + user.getMessage());
            return USAGE_ERROR;
          }
          throw ex;
        });
    return cli.execute(args);
  }

  /** Reports the version from the jar manifest or the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      Package pkg = Ovm.class.getPackage();
      String v = pkg == null ? null : pkg.getImplementationVersion();
      return new String[] {"ovm " + (v == null ? "0.1.0-SNAPSHOT" : v)};
    }
  }
}
