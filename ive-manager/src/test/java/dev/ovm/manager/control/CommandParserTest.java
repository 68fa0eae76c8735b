package dev.ovm.manager.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one command model: console words and socket requests to the same typed commands. */
class CommandParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void consoleLinesBecomeTypedCommands() {
    assertEquals(new ControlCommand.Help(Optional.empty()), CommandParser.parse("help"));
    assertEquals(new ControlCommand.Help(Optional.of("swap")), CommandParser.parse("  help   swap "));
    assertEquals(new ControlCommand.InfoVms(), CommandParser.parse("info vms"));
    assertEquals(new ControlCommand.InfoPools(), CommandParser.parse("info pools"));
    assertEquals(new ControlCommand.InfoVm("a"), CommandParser.parse("info vm a"));
    assertEquals(new ControlCommand.Stats(), CommandParser.parse("stats"));
    assertEquals(new ControlCommand.Pause("a"), CommandParser.parse("pause a"));
    assertEquals(new ControlCommand.Resume("a"), CommandParser.parse("resume a"));
    assertEquals(new ControlCommand.Reset("a"), CommandParser.parse("reset a"));
    assertEquals(new ControlCommand.Destroy("a"), CommandParser.parse("destroy a"));
    assertEquals(new ControlCommand.Swap("pool0", "credit"), CommandParser.parse("swap pool0 credit"));
    assertEquals(new ControlCommand.Move("a", "pool1"), CommandParser.parse("move a pool1"));
    assertEquals(new ControlCommand.Policies(), CommandParser.parse("policies"));
    assertEquals(new ControlCommand.Quit(), CommandParser.parse("quit"));
    ControlCommand.Set set = (ControlCommand.Set) CommandParser.parse("set a period=100 budget=40");
    assertEquals("a", set.vm());
    assertEquals(List.of("period", "budget"), List.copyOf(set.parameters().keySet()), "order is kept");
    assertEquals("40", set.parameters().get("budget"));
  }

  @Test
  void everyCatalogCommandParsesFromItsOwnUsageShape() {
    for (CommandSpec spec : CommandCatalog.all()) {
      String line = spec.usage().replace("[COMMAND]", "").replace("KEY=VALUE...", "k=v")
          .replace("VM", "a").replace("POOL", "p").replace("POLICY", "credit");
      assertEquals(spec, CommandCatalog.specOf(CommandParser.parse(line)), line);
    }
  }

  private static String error(String line) {
    return assertThrows(ControlError.class, () -> CommandParser.parse(line)).getMessage();
  }

  @Test
  void malformedLinesAreOneLineErrorsWithTheUsage() {
    assertEquals("unknown command 'frobnicate' (try 'help')", error("frobnicate a"));
    assertEquals("usage: info vms | info pools | info vm VM", error("info"));
    assertEquals("usage: info vms | info pools | info vm VM", error("info cats"));
    assertEquals("pause: missing VM (usage: pause VM)", error("pause"));
    assertEquals("pause: too many arguments (usage: pause VM)", error("pause a b"));
    assertEquals("swap: missing POLICY (usage: swap POOL POLICY)", error("swap pool0"));
    assertEquals("set: needs at least one KEY=VALUE (usage: set VM KEY=VALUE...)", error("set a"));
    assertEquals("set: 'weight' is not KEY=VALUE (usage: set VM KEY=VALUE...)", error("set a weight"));
    assertEquals("set: '=5' is not KEY=VALUE (usage: set VM KEY=VALUE...)", error("set a =5"));
    assertEquals("set: weight is given twice (usage: set VM KEY=VALUE...)", error("set a weight=1 weight=2"));
    assertEquals("empty command (try 'help')", error("   "));
    assertEquals(ControlError.COMMAND_NOT_FOUND,
        assertThrows(ControlError.class, () -> CommandParser.parse("nope")).errorClass());
  }

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  @Test
  void socketRequestsBindArgumentsByName() throws Exception {
    assertEquals(new ControlCommand.Swap("pool0", "credit"),
        CommandParser.parseJson("swap", json("{\"policy\":\"credit\",\"pool\":\"pool0\"}")).command());
    assertEquals(new ControlCommand.InfoVms(), CommandParser.parseJson("info-vms", null).command());
    assertEquals(new ControlCommand.InfoVm("a"), CommandParser.parseJson("info-vm", json("{\"vm\":\"a\"}")).command());
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("weight", "512");
    expected.put("cap", "25");
    assertEquals(new ControlCommand.Set("a", expected),
        CommandParser.parseJson("set", json("{\"vm\":\"a\",\"parameters\":{\"weight\":512,\"cap\":\"25\"}}")).command(),
        "numbers and strings both work");
  }

  private static String jsonError(String name, String arguments) {
    return assertThrows(ControlError.class, () -> CommandParser.parseJson(name, json(arguments))).getMessage();
  }

  @Test
  void malformedSocketArgumentsAreRefused() {
    assertEquals("Parameter 'policy' is missing (swap)", jsonError("swap", "{\"pool\":\"pool0\"}"));
    assertEquals("Parameter 'colour' is unexpected (pause)", jsonError("pause", "{\"vm\":\"a\",\"colour\":1}"));
    assertEquals("Parameter 'vm' must be a string or a number (pause)", jsonError("pause", "{\"vm\":[1]}"));
    assertEquals("'arguments' must be an object", jsonError("pause", "[]"));
    assertEquals("Parameter 'parameters' must be a non-empty object of KEY: VALUE (set)",
        jsonError("set", "{\"vm\":\"a\",\"parameters\":{}}"));
    assertEquals("The command nope has not been found", jsonError("nope", "{}"));
  }

  @Test
  void wordsAndJsonOfTheSameCommandAgree() throws Exception {
    CommandParser.Parsed words = CommandParser.parseWords(CommandParser.words("set a weight=512 cap=25"));
    assertEquals("set", words.spec().name());
    JsonNode arguments = words.arguments();
    assertEquals(json("{\"vm\":\"a\",\"parameters\":{\"weight\":\"512\",\"cap\":\"25\"}}"), arguments);
    assertEquals(words.command(), CommandParser.parseJson("set", arguments).command());
  }

  @Test
  void helpTextComesFromTheCatalog() {
    Reply all = HelpText.reply(Optional.empty());
    assertEquals(CommandCatalog.all().size(), all.data().size());
    assertTrue(all.text().contains("swap POOL POLICY"), all.text());
    Reply swap = HelpText.reply(Optional.of("swap"));
    assertTrue(swap.text().startsWith("usage: swap POOL POLICY\n"), swap.text());
    assertEquals("info vm VM", HelpText.reply(Optional.of("vm")).data().get("usage").asText(),
        "help vm finds info vm");
    assertEquals(ControlError.COMMAND_NOT_FOUND,
        assertThrows(ControlError.class, () -> HelpText.reply(Optional.of("nope"))).errorClass());
  }
}
