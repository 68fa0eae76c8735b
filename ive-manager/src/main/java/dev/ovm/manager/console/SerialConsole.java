package dev.ovm.manager.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Function;
import java.util.function.IntConsumer;
import org.checkerframework.checker.lock.qual.GuardSatisfied;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Connects a guest's serial port to the user's terminal, like QEMU's {@code -nographic}: guest
 * output goes to standard output; keystrokes go to the guest, with the terminal in raw mode when
 * it is one (so Ctrl-C reaches the guest) and the Ctrl-A escapes of {@link EscapeFilter}.
 *
 * <p>Threads: guest output is written by the VM's thread through {@link #output()}; one daemon
 * thread reads input. {@link #close()} restores the terminal.
 */
public final class SerialConsole implements AutoCloseable {
  private final PrintStream out;
  private final InputStream in;
  private final @Nullable Terminal terminal;
  private final @Nullable Attributes saved;
  private final boolean interactive;

  /**
   * Opens the console on the given streams.
   *
   * @param streams where keystrokes come from and guest output goes; if {@code streams.terminal()}
   *     and the process has a terminal, it is put in raw mode for the run
   */
  public SerialConsole(ConsoleStreams streams) {
    this.out = new PrintStream(streams.out(), false);
    this.in = streams.in();
    Terminal term = null;
    Attributes attributes = null;
    if (streams.terminal() && System.console() != null) {
      try {
        term = TerminalBuilder.builder().system(true).build();
        attributes = term.enterRawMode();
      } catch (IOException | RuntimeException e) {
        term = null;
      }
    }
    this.terminal = term;
    this.saved = attributes;
    this.interactive = term != null;
  }

  /** True if the user's terminal is attached in raw mode (interrupts can arrive at any time). */
  public boolean interactive() {
    return interactive;
  }

  /** The sink for the guest's serial output: bytes are flushed at each newline and on close. */
  public IntConsumer output() {
    return b -> {
      out.write(b);
      if (b == '\n' || interactive) {
        out.flush();
      }
    };
  }

  /**
   * Starts the input thread: each byte the user types, after escape processing, goes to {@code
   * guest}; Ctrl-A x runs {@code quit}; Ctrl-A c switches to the monitor, where each line typed is
   * run by {@code monitor} and its answer printed, until Ctrl-A c switches back.
   *
   * @param monitor runs one monitor line and returns the text to print
   */
  public void startInput(IntConsumer guest, Runnable quit, Function<String, String> monitor) {
    Terminal term = terminal;
    InputStream input = term != null ? term.input() : in;
    Thread reader = new Thread(() -> readInput(input, guest, quit, monitor), "ovm-console-input");
    reader.setDaemon(true);
    reader.start();
  }

  private void readInput(InputStream input, IntConsumer guest, Runnable quit, Function<String, String> monitor) {
    EscapeFilter filter = new EscapeFilter();
    MonitorLine line = new MonitorLine(text -> writeRawQuietly(out, text));
    boolean inMonitor = false;
    try {
      int b;
      while ((b = input.read()) >= 0) {
        switch (filter.accept(b)) {
          case SEND -> {
            if (!inMonitor) {
              guest.accept(b);
            } else {
              var done = line.accept(b);
              if (done.isPresent()) {
                String answer = done.get().isBlank() ? "" : monitor.apply(done.get());
                writeRaw(out, answer.isEmpty() ? MonitorLine.PROMPT
                    : answer.replace("\n", "\r\n") + "\r\n" + MonitorLine.PROMPT);
              }
            }
          }
          case QUIT -> {
            quit.run();
            return;
          }
          case HELP -> writeRaw(out, EscapeFilter.HELP_TEXT);
          case MONITOR -> {
            inMonitor = !inMonitor;
            writeRaw(out, inMonitor ? "\r\n[ovm monitor: 'help' lists the commands, C-a c returns]\r\n"
                + MonitorLine.PROMPT : "\r\n[serial console]\r\n");
          }
          case NONE -> {}
        }
      }
    } catch (IOException e) {
      // input closed: the guest simply gets no more keystrokes
    }
  }

  private static void writeRawQuietly(OutputStream out, String text) {
    try {
      writeRaw(out, text);
    } catch (IOException e) {
      // the terminal went away
    }
  }

  private static void writeRaw(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Flushes guest output and restores the terminal's mode. */
  @Override
  public void close(@GuardSatisfied SerialConsole this) {
    out.flush();
    Terminal term = terminal;
    Attributes attributes = saved;
    if (term != null && attributes != null) {
      term.setAttributes(attributes);
      try {
        term.close();
      } catch (IOException e) {
        // nothing left to restore
      }
    }
  }
}
