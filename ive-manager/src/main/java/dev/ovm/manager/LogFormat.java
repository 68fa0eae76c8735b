package dev.ovm.manager;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One-line log output on standard error ({@code [ovm] vm0: started}) for the records the aspects
 * emit through {@link System.Logger}, which the JDK routes to {@code java.util.logging}.
 */
final class LogFormat extends Formatter {
  private LogFormat() {}

  /** Replaces the root logger's handlers with one that prints one line per record. */
  static void install() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new LogFormat());
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  @Override
  public String format(LogRecord record) {
    String tag = record.getLevel().intValue() >= Level.WARNING.intValue() ? "[ovm] warning: " : "[ovm] ";
    return tag + formatMessage(record) + System.lineSeparator();
  }
}
