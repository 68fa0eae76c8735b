package dev.ovm.manager.console;

import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * Prefixes each line a guest writes with its VM's name ({@code vm1| }), so that the output of
 * several VMs sharing one terminal stays readable. Used by one VM's UART on that VM's thread.
 */
public final class LinePrefix implements IntConsumer {
  private final byte[] prefix;
  private final IntConsumer out;
  private boolean atLineStart = true;

  /** Wraps {@code out} with the prefix {@code name + "| "}. */
  public LinePrefix(String name, IntConsumer out) {
    this.prefix = (name + "| ").getBytes(StandardCharsets.UTF_8);
    this.out = out;
  }

  @Override
  public void accept(int b) {
    if (atLineStart) {
      for (byte p : prefix) {
        out.accept(p);
      }
      atLineStart = false;
    }
    out.accept(b);
    if (b == '\n') {
      atLineStart = true;
    }
  }
}
