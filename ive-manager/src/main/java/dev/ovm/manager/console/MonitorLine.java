package dev.ovm.manager.console;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The line editor of the monitor reached with Ctrl-A c on the serial console (the terminal is in
 * raw mode there, so the monitor echoes and edits itself): printable characters are echoed and
 * collected, Backspace/Delete removes the last one, Ctrl-U the whole line, Enter ends the line.
 * For full line editing, history and completion use {@code ovm console}.
 *
 * <p>Not thread-safe: the console's input thread owns it.
 */
public final class MonitorLine {
  /** The monitor's prompt. */
  public static final String PROMPT = "(ovm) ";

  private final StringBuilder line = new StringBuilder();
  private final Consumer<String> echo;

  /** An editor that echoes to {@code echo} (raw terminal text: {@code \r\n} line ends). */
  public MonitorLine(Consumer<String> echo) {
    this.echo = echo;
  }

  /** Takes one typed byte; returns the line when it was Enter. */
  public Optional<String> accept(int b) {
    switch (b) {
      case '\r', '\n' -> {
        echo.accept("\r\n");
        String done = line.toString();
        line.setLength(0);
        return Optional.of(done);
      }
      case 0x7f, 0x08 -> {
        int last = line.length() - 1;
        if (last >= 0) {
          line.setLength(last);
          echo.accept("\b \b");
        }
      }
      case 0x15 -> {
        echo.accept("\b \b".repeat(line.length()));
        line.setLength(0);
      }
      default -> {
        if (b >= 0x20 && b < 0x7f) {
          line.append((char) b);
          echo.accept(new String(new byte[] {(byte) b}, StandardCharsets.US_ASCII));
        }
      }
    }
    return Optional.empty();
  }
}
