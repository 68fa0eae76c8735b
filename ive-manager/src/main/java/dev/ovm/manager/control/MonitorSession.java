package dev.ovm.manager.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ovm.manager.control.CommandSpec.Kind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The interactive console's loop on a JLine terminal: read a line (with history and {@link
 * ControlCompleter completion}), check it with the {@link CommandParser}, run it on the VMM
 * through the control socket, print the result or the error; print the VMM's events above the
 * prompt as they arrive. Ctrl-C clears the line, Ctrl-D leaves; {@code quit} stops the VMM.
 */
public final class MonitorSession {
  /** The prompt, as QEMU's monitor has {@code (qemu)}. */
  public static final String PROMPT = "(ovm) ";

  private final Terminal terminal;
  private final @Nullable Path history;
  private volatile @Nullable LineReader reader;
  private @Nullable ControlClient client;

  /**
   * A session on {@code terminal}.
   *
   * @param history the file that keeps the command history between sessions, or null for none
   */
  public MonitorSession(Terminal terminal, @Nullable Path history) {
    this.terminal = terminal;
    this.history = history;
  }

  /**
   * Reads and runs commands until Ctrl-D, {@code quit}, or the VMM closes the connection.
   *
   * @return the exit status: 0
   */
  public int run(ControlClient client) {
    this.client = client;
    LineReaderBuilder builder = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("ovm")
        .completer(new ControlCompleter(this::names));
    Path file = history;
    if (file != null) {
      builder.variable(LineReader.HISTORY_FILE, file);
    }
    LineReader lineReader = builder.build();
    reader = lineReader;
    terminal.writer().println("ovm console: 'help' lists the commands, Tab completes, Ctrl-D leaves");
    terminal.flush();
    while (true) {
      String line;
      try {
        line = lineReader.readLine(PROMPT);
      } catch (UserInterruptException e) {
        continue;
      } catch (EndOfFileException e) {
        return 0;
      }
      if (line.isBlank()) {
        continue;
      }
      if (!runLine(client, line)) {
        return 0;
      }
    }
  }

  /** Runs one line; false if the session should end (quit, or the VMM went away). */
  boolean runLine(ControlClient client, String line) {
    ControlCommand command;
    try {
      command = CommandParser.parse(line);
    } catch (ControlError e) {
      print("error: " + e.getMessage());
      return true;
    }
    try {
      String text = client.human(line);
      if (!text.isEmpty()) {
        print(text);
      }
    } catch (ControlError e) {
      print("error: " + e.getMessage());
    } catch (IOException e) {
      print("ovm: " + e.getMessage());
      return false;
    }
    return !(command instanceof ControlCommand.Quit);
  }

  /** Prints an event above the prompt. Called on the client's reader thread. */
  public void event(JsonNode event) {
    String text = "event " + event.path("event").asText() + " " + event.path("data");
    LineReader r = reader;
    if (r != null && r.isReading()) {
      r.printAbove(text);
    } else {
      print(text);
    }
  }

  private void print(String text) {
    terminal.writer().println(text);
    terminal.flush();
  }

  private List<String> names(Kind kind) {
    ControlClient c = client;
    List<String> out = new ArrayList<>();
    if (c == null) {
      return out;
    }
    String command = switch (kind) {
      case VM -> "info-vms";
      case POOL -> "info-pools";
      case POLICY -> "policies";
      default -> "";
    };
    if (command.isEmpty()) {
      return out;
    }
    try {
      JsonNode value = ControlClient.returned(c.call(command, null));
      for (JsonNode entry : value) {
        out.add(entry.isTextual() ? entry.asText() : entry.path("name").asText());
      }
    } catch (IOException | ControlError e) {
      // no completions then
    }
    return out;
  }
}
