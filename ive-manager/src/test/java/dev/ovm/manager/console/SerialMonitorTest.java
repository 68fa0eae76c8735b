package dev.ovm.manager.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.OvmRunner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Ctrl-A c on the serial console: QEMU's switch to the monitor and back. */
@org.junit.jupiter.api.Timeout(120)
class SerialMonitorTest {

  @Test
  void ctrlACRunsMonitorCommandsOnTheLiveVmmAndCtrlAXQuits() {
    String keys = "\u0001c" + "info vms\r" + "polx\u007ficies\r" + "frobnicate\r" + "\u0001c" + "\u0001x";
    OvmRunner.Result result = OvmRunner.run(keys.getBytes(StandardCharsets.US_ASCII),
        "run", "-kernel", OvmRunner.GUEST_BIN.resolve("bench.elf").toString());
    assertEquals(0, result.status(), "Ctrl-A x after the monitor quits as usual: " + result.messages());
    String console = result.console();
    assertTrue(console.contains("[ovm monitor: 'help' lists the commands, C-a c returns]\r\n(ovm) "), console);
    assertTrue(console.contains("vm0          running"), console);
    assertTrue(console.contains("round-robin\r\ncredit\r\n"), "backspace edits the line: " + console);
    assertTrue(console.contains("error: unknown command 'frobnicate' (try 'help')\r\n(ovm) "), console);
    assertTrue(console.contains("[serial console]"), console);
  }

  @Test
  void theLineEditorEchoesErasesAndEndsAtEnter() {
    List<String> echo = new ArrayList<>();
    MonitorLine line = new MonitorLine(echo::add);
    for (char c : "swapx".toCharArray()) {
      assertEquals(Optional.empty(), line.accept(c));
    }
    line.accept(0x7f);
    line.accept(0x01); // a control character is ignored
    assertEquals(Optional.of("swap"), line.accept('\r'));
    assertEquals(List.of("s", "w", "a", "p", "x", "\b \b", "\r\n"), echo);
    line.accept('a');
    line.accept(0x15);
    assertEquals(Optional.of(""), line.accept('\n'), "Ctrl-U clears the line");
  }
}
