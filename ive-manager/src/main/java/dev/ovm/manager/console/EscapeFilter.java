package dev.ovm.manager.console;

/**
 * QEMU's serial escape sequences on the user's keystrokes: Ctrl-A x quits, Ctrl-A h prints help,
 * Ctrl-A c switches between the guest's serial console and the VMM monitor, Ctrl-A Ctrl-A sends
 * one Ctrl-A to the guest; every other byte goes to the guest unchanged. A
 * Ctrl-A followed by an unknown key is dropped together with that key, as QEMU does.
 *
 * <p>Not thread-safe: one console reader thread owns it.
 */
public final class EscapeFilter {
  /** The escape character, Ctrl-A. */
  public static final int ESCAPE = 0x01;

  /** What to do with one input byte. */
  public enum Action {
    /** Send the byte to the guest. */
    SEND,
    /** Swallow the byte (an escape prefix, or an unknown escape). */
    NONE,
    /** The user asked to quit (Ctrl-A x). */
    QUIT,
    /** The user asked for help (Ctrl-A h). */
    HELP,
    /** The user switched between the serial console and the monitor (Ctrl-A c). */
    MONITOR
  }

  /** The help text for Ctrl-A h. */
  public static final String HELP_TEXT =
      "\r\nC-a h    print this help\r\nC-a x    exit ovm\r\n"
          + "C-a c    switch between the serial console and the monitor\r\nC-a C-a  send C-a\r\n";

  private boolean afterEscape;

  /** Creates a filter in its initial state. */
  public EscapeFilter() {}

  /** Classifies the next input byte {@code b} (0..255). */
  public Action accept(int b) {
    if (afterEscape) {
      afterEscape = false;
      return switch (b) {
        case 'x', 'X' -> Action.QUIT;
        case 'h', 'H', '?' -> Action.HELP;
        case 'c', 'C' -> Action.MONITOR;
        case ESCAPE -> Action.SEND;
        default -> Action.NONE;
      };
    }
    if (b == ESCAPE) {
      afterEscape = true;
      return Action.NONE;
    }
    return Action.SEND;
  }
}
