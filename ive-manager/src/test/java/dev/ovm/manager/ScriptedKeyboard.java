package dev.ovm.manager;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user at the keyboard, for tests of the interactive console: an {@link InputStream} that types
 * each step's text once the guest's console output shows the step's awaited text (after what the
 * previous step awaited), and ends (EOF) after the last step or when an awaited text does not
 * appear in time. Read by ovm's console input thread, as a terminal would be.
 */
public final class ScriptedKeyboard extends InputStream {
  /** One step: wait until {@code awaited} appears on the screen, then type {@code typed}. */
  public record Step(String awaited, String typed) {}

  private final ByteArrayOutputStream screen;
  private final List<Step> steps;
  private final long deadlineNanos;
  /** Steps typed so far; read from the test's thread while the console thread may wait in read. */
  private final AtomicInteger typed = new AtomicInteger();
  private volatile boolean closed;
  private int next;
  private int searchFrom;
  private byte[] pending = new byte[0];
  private int position;

  /**
   * Creates a keyboard that watches {@code screen} (the console output of the same run).
   *
   * @param patience how long the whole script may take before the keyboard gives up (EOF)
   */
  public ScriptedKeyboard(ByteArrayOutputStream screen, Duration patience, List<Step> steps) {
    this.screen = screen;
    this.steps = List.copyOf(steps);
    this.deadlineNanos = System.nanoTime() + patience.toNanos();
  }

  /** How many steps were typed (all of them if every awaited text appeared). Never blocks. */
  public int typedSteps() {
    return typed.get();
  }

  /** Ends the script: a read waiting for the screen returns EOF (the run is over). */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public synchronized int read() {
    while (position >= pending.length) {
      if (next >= steps.size() || !awaitOnScreen(steps.get(next).awaited())) {
        return -1;
      }
      pending = steps.get(next).typed().getBytes(StandardCharsets.ISO_8859_1);
      position = 0;
      next++;
      typed.set(next);
    }
    return pending[position++] & 0xFF;
  }

  private boolean awaitOnScreen(String text) {
    while (!closed && System.nanoTime() - deadlineNanos < 0) {
      String shown = screen.toString(StandardCharsets.ISO_8859_1);
      int at = shown.indexOf(text, searchFrom);
      if (at >= 0) {
        searchFrom = at + text.length();
        return true;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
