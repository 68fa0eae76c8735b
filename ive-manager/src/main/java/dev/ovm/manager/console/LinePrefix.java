package dev.ovm.manager.console;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * Prefixes each line a guest writes with its VM's name ({@code vm1| }), so that the output of
 * several VMs sharing one terminal stays readable. Each VM's output is passed on a whole line at a
 * time, while holding the shared sink's monitor, so lines of VMs running on different physical
 * CPUs never mix; a line without its newline yet waits (up to {@value #MAX_LINE} bytes) until the
 * newline comes or {@link #flush()} is called.
 *
 * <p>Thread safety: one instance per VM, used by that VM's vCPU threads (one at a time, as a
 * UART is); instances of different VMs may write concurrently to the same {@code out}.
 */
public final class LinePrefix implements IntConsumer {
  /** A partial line this long is passed on without waiting for its newline. */
  static final int MAX_LINE = 4096;

  private final byte[] prefix;
  private final IntConsumer out;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  /** Wraps {@code out}, which all VMs' prefixes share, with the prefix {@code name + "| "}. */
  public LinePrefix(String name, IntConsumer out) {
    this.prefix = (name + "| ").getBytes(StandardCharsets.UTF_8);
    this.out = out;
  }

  @Override
  public void accept(int b) {
    synchronized (line) {
      line.write(b);
      if (b == '\n' || line.size() >= MAX_LINE) {
        emit();
      }
    }
  }

  /** Passes on a partial line (at the end of a run). */
  public void flush() {
    synchronized (line) {
      if (line.size() > 0) {
        line.write('\n');
        emit();
      }
    }
  }

  private void emit() {
    byte[] bytes = line.toByteArray();
    line.reset();
    synchronized (out) {
      for (byte p : prefix) {
        out.accept(p);
      }
      for (byte b : bytes) {
        out.accept(b & 0xff);
      }
    }
  }
}
