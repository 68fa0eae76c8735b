package dev.ovm.manager;

import dev.ovm.manager.console.ConsoleStreams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the {@code ovm} command line in-process, as the launcher does, and captures what it prints. */
public final class OvmRunner {
  /** The folder of the project's guest binaries (tests run with the module folder as working dir). */
  public static final Path GUEST_BIN = Path.of("..", "guests", "bin");

  /**
   * What one run printed and returned.
   *
   * @param status the exit status
   * @param console what the guest wrote to its serial console
   * @param messages what ovm wrote to standard error
   */
  public record Result(int status, String console, String messages) {}

  private OvmRunner() {}

  /** Runs {@code ovm args...} with no keyboard input. */
  public static Result run(String... args) {
    return run(new byte[0], args);
  }

  /** Runs {@code ovm args...} with {@code input} as the user's keystrokes. */
  public static Result run(byte[] input, String... args) {
    return run(new ByteArrayInputStream(input), new ByteArrayOutputStream(), args);
  }

  /**
   * Runs {@code ovm args...} reading keystrokes from {@code keyboard} (not a terminal) while the
   * guest's console output collects in {@code screen}, which the keyboard may watch; closes the
   * keyboard when the run ends.
   */
  public static Result run(InputStream keyboard, ByteArrayOutputStream screen, String... args) {
    StringWriter err = new StringWriter();
    int status =
        Ovm.execute(args, new ConsoleStreams(keyboard, screen, false),
            new PrintWriter(new OutputStreamWriter(screen, StandardCharsets.ISO_8859_1), true),
            new PrintWriter(err, true));
    try {
      keyboard.close(); // the run is over: the console's input thread need not wait for more
    } catch (IOException e) {
      // nothing was to be released
    }
    return new Result(status, screen.toString(StandardCharsets.ISO_8859_1), err.toString());
  }
}
