package dev.ovm.manager.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.manager.control.CommandSpec.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The interactive console: completion, and a whole session on a dumb terminal fed from a pipe. */
@org.junit.jupiter.api.Timeout(120)
class MonitorSessionTest {
  @TempDir Path dir;

  private static final ControlCompleter COMPLETER = new ControlCompleter(kind -> switch (kind) {
    case VM -> List.of("a", "b");
    case POOL -> List.of("pool0", "pool1");
    case POLICY -> List.of("credit", "edf");
    default -> List.of();
  });

  @Test
  void completesCommandsThenEachParameterByWhatItNames() {
    List<String> first = COMPLETER.candidates(List.of());
    assertTrue(first.containsAll(List.of("help", "info", "stats", "swap", "set", "quit")), first.toString());
    assertEquals(1, first.stream().filter("info"::equals).count(), "info once for its three forms");
    assertEquals(List.of("vms", "pools", "vm"), COMPLETER.candidates(List.of("info")));
    assertEquals(List.of("a", "b"), COMPLETER.candidates(List.of("info", "vm")));
    assertEquals(List.of("a", "b"), COMPLETER.candidates(List.of("pause")));
    assertEquals(List.of("pool0", "pool1"), COMPLETER.candidates(List.of("swap")));
    assertEquals(List.of("credit", "edf"), COMPLETER.candidates(List.of("swap", "pool0")));
    assertEquals(List.of("pool0", "pool1"), COMPLETER.candidates(List.of("move", "a")));
    assertTrue(COMPLETER.candidates(List.of("help")).contains("reset"));
    assertEquals(List.of(), COMPLETER.candidates(List.of("swap", "pool0", "credit")), "nothing after the last");
    assertEquals(List.of(), COMPLETER.candidates(List.of("nope")));
  }

  @Test
  void jlineAsksTheCompleterWithTheWordsBeforeTheCursor() throws Exception {
    try (Terminal terminal = TerminalBuilder.builder().system(false)
        .streams(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()).dumb(true).build()) {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).completer(COMPLETER).build();
      List<Candidate> candidates = new ArrayList<>();
      COMPLETER.complete(reader, reader.getParser().parse("swap pool0 cr", 13), candidates);
      List<String> values = new ArrayList<>();
      candidates.forEach(c -> values.add(c.value()));
      assertEquals(List.of("credit", "edf"), values, "JLine filters by the prefix itself");
    }
  }

  @Test
  void aSessionRunsCommandsPrintsErrorsAndEventsAndEndsAtEndOfInput() throws Exception {
    Map<String, String> guests = new LinkedHashMap<>();
    guests.put("a", "bench.elf");
    guests.put("b", "bench.elf");
    Path sock = dir.resolve("ovm.sock");
    String input = "help\ninfo vms\npause a\nfrobnicate\nswap pool0\nswap pool0 credit\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LiveVmm live = new LiveVmm("round-robin", guests);
        ControlServer server = ControlServer.open(sock, live.control, live.vmm);
        Terminal terminal = TerminalBuilder.builder().system(false)
            .streams(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out).dumb(true).build()) {
      MonitorSession session = new MonitorSession(terminal, null);
      int status;
      try (ControlClient client = ControlClient.connect(sock, session::event)) {
        status = session.run(client);
      }
      assertEquals(0, status);
      assertEquals("paused", live.run("info vm a").data().get("state").asText(), "the commands ran");
      assertEquals("credit", live.run("info pools").data().get(0).get("policy").asText());
      String text = out.toString(StandardCharsets.UTF_8);
      assertTrue(text.contains("swap POOL POLICY"), text);
      assertTrue(text.contains("a paused"), text);
      assertTrue(text.contains("error: unknown command 'frobnicate' (try 'help')"), text);
      assertTrue(text.contains("error: swap: missing POLICY (usage: swap POOL POLICY)"), text);
      assertTrue(text.contains("pool0: round-robin -> credit via RUN_QUEUE"), text);
      assertTrue(text.contains("event VM_PAUSED {\"vm\":\"a\"}"), text);
      assertEquals("running", live.run("info vm b").data().get("state").asText(), "leaving the console leaves the VMM");
    }
  }
}
