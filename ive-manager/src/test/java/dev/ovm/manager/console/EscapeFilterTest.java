package dev.ovm.manager.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ovm.manager.console.EscapeFilter.Action;
import org.junit.jupiter.api.Test;

class EscapeFilterTest {
  @Test
  void ordinaryBytesPassThrough() {
    EscapeFilter f = new EscapeFilter();
    assertEquals(Action.SEND, f.accept('a'));
    assertEquals(Action.SEND, f.accept('x'));
    assertEquals(Action.SEND, f.accept(0x03));
  }

  @Test
  void ctrlAThenXQuitsAndCtrlATwiceSendsOne() {
    EscapeFilter f = new EscapeFilter();
    assertEquals(Action.NONE, f.accept(0x01));
    assertEquals(Action.SEND, f.accept(0x01));
    assertEquals(Action.SEND, f.accept('x'));
    assertEquals(Action.NONE, f.accept(0x01));
    assertEquals(Action.QUIT, f.accept('x'));
  }

  @Test
  void helpAndUnknownEscapes() {
    EscapeFilter f = new EscapeFilter();
    assertEquals(Action.NONE, f.accept(0x01));
    assertEquals(Action.HELP, f.accept('h'));
    assertEquals(Action.NONE, f.accept(0x01));
    assertEquals(Action.NONE, f.accept('q'));
    assertEquals(Action.SEND, f.accept('q'));
  }

  @Test
  void ctrlAThenCSwitchesToTheMonitor() {
    EscapeFilter f = new EscapeFilter();
    assertEquals(Action.NONE, f.accept(0x01));
    assertEquals(Action.MONITOR, f.accept('c'));
    assertEquals(Action.SEND, f.accept('c'));
  }
}
