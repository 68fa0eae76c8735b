package dev.ovm.manager.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

class LinePrefixTest {
  private final StringBuilder terminal = new StringBuilder();
  private final IntConsumer shared = b -> terminal.append((char) b);

  private static void print(IntConsumer vm, String text) {
    text.chars().forEach(vm);
  }

  @Test
  void linesOfTwoVmsNeverMixEvenWhenTheirBytesInterleave() {
    LinePrefix a = new LinePrefix("a", shared);
    LinePrefix b = new LinePrefix("b", shared);
    print(a, "hel");
    print(b, "one\ntw");
    print(a, "lo\n");
    print(b, "o\n");
    assertEquals("b| one\na| hello\nb| two\n", terminal.toString());
  }

  @Test
  void aPartialLineWaitsForFlushOrTheLengthLimit() {
    LinePrefix a = new LinePrefix("a", shared);
    print(a, "login: ");
    assertEquals("", terminal.toString());
    a.flush();
    assertEquals("a| login: \n", terminal.toString());
    terminal.setLength(0);
    print(a, "x".repeat(LinePrefix.MAX_LINE));
    assertEquals("a| " + "x".repeat(LinePrefix.MAX_LINE), terminal.toString());
  }
}
