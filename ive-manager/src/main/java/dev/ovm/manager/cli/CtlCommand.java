package dev.ovm.manager.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovm.manager.control.CommandParser;
import dev.ovm.manager.control.ControlClient;
import dev.ovm.manager.control.ControlError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.checkerframework.checker.nullness.qual.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ovm ctl PATH COMMAND ARGS...}: runs one console command on the VMM listening on control
 * socket PATH and prints its result. Exit status 0 if the command succeeded, 1 if the VMM refused
 * it (the reason on standard error), 2 for a malformed command or no VMM at PATH.
 */
@Command(
    name = "ctl",
    description = "Run one command on a running ovm (ovm run --control PATH); 'ovm ctl PATH help' lists them.",
    mixinStandardHelpOptions = true)
public final class CtlCommand implements Callable<Integer> {
  /** Exit status when the VMM refused the command. */
  static final int REFUSED = 1;

  @Spec @Nullable CommandSpec spec;

  @Option(names = "--json", description = "Print the socket's JSON return value instead of text.")
  boolean json;

  @Parameters(index = "0", paramLabel = "PATH", description = "The control socket.")
  @Nullable Path socket;

  @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "1..*",
      description = "The command and its arguments, e.g. swap pool0 credit.")
  List<String> words = new ArrayList<>();

  /** Picocli instantiates the command. */
  public CtlCommand() {}

  @Override
  public Integer call() {
    Path path = socket;
    if (path == null) {
      throw new UserError("missing PATH");
    }
    CommandParser.Parsed parsed;
    try {
      parsed = CommandParser.parseWords(words);
    } catch (ControlError e) {
      throw new UserError(String.valueOf(e.getMessage()), e);
    }
    PrintWriter out = out();
    try (ControlClient client = ControlClient.connect(path, event -> {})) {
      JsonNode reply = json
          ? client.call(parsed.spec().name(), parsed.arguments())
          : client.call("human-monitor-command",
              dev.ovm.manager.control.CommandParser.humanArguments(String.join(" ", words)));
      JsonNode value = ControlClient.returned(reply);
      String text = json ? value.toPrettyString() : value.asText();
      if (!text.isEmpty()) {
        out.println(text);
      }
      out.flush();
      return 0;
    } catch (ControlError e) {
      err().println("ovm: " + e.getMessage());
      err().flush();
      return REFUSED;
    } catch (IOException e) {
      throw new UserError(String.valueOf(e.getMessage()), e);
    }
  }

  private PrintWriter out() {
    return spec != null ? spec.commandLine().getOut() : new PrintWriter(System.out, true);
  }

  private PrintWriter err() {
    return spec != null ? spec.commandLine().getErr() : new PrintWriter(System.err, true);
  }
}
