package dev.ovm.manager.cli;

import dev.ovm.manager.console.ConsoleStreams;
import dev.ovm.manager.control.ControlClient;
import dev.ovm.manager.control.MonitorSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ovm console PATH}: the interactive VMM console of a running {@code ovm run --control
 * PATH}, with line editing, history, tab completion of commands, VM, pool and policy names, and
 * the VMM's events printed as they happen. Ctrl-D leaves the console (the VMM runs on); {@code
 * quit} stops the VMM.
 */
@Command(
    name = "console",
    description = "Interactive console of a running ovm (ovm run --control PATH). Ctrl-D leaves, 'quit' stops the VMM.",
    mixinStandardHelpOptions = true)
public final class ConsoleCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PATH", description = "The control socket.")
  @Nullable Path socket;

  private final ConsoleStreams streams;

  /** A console on {@code streams} (the process's terminal when it has one). */
  public ConsoleCommand(ConsoleStreams streams) {
    this.streams = streams;
  }

  @Override
  public Integer call() {
    Path path = socket;
    if (path == null) {
      throw new UserError("missing PATH");
    }
    try (Terminal terminal = terminal()) {
      MonitorSession session = new MonitorSession(terminal, historyFile());
      try (ControlClient client = ControlClient.connect(path, session::event)) {
        return session.run(client);
      }
    } catch (IOException e) {
      throw new UserError(String.valueOf(e.getMessage()), e);
    }
  }

  /** {@code ~/.ovm_history}, if there is a home folder. */
  private static @Nullable Path historyFile() {
    String home = System.getProperty("user.home");
    if (home == null || !java.nio.file.Files.isDirectory(Path.of(home))) {
      return null;
    }
    return Path.of(home, ".ovm_history");
  }

  private Terminal terminal() throws IOException {
    if (streams.terminal() && System.console() != null) {
      return TerminalBuilder.builder().system(true).build();
    }
    // not a terminal (a pipe, a test): no escape sequences, and no echo of what was read
    Attributes noEcho = new Attributes();
    noEcho.setLocalFlag(Attributes.LocalFlag.ECHO, false);
    return TerminalBuilder.builder().system(false).streams(streams.in(), streams.out())
        .type(Terminal.TYPE_DUMB).attributes(noEcho).build();
  }
}
