package dev.ovm.manager.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** The replies of {@code help}, built from the {@link CommandCatalog}. */
final class HelpText {
  private HelpText() {}

  /** The command list, or one command's usage and description. */
  static Reply reply(Optional<String> command) {
    if (command.isPresent()) {
      CommandSpec spec = CommandCatalog.find(command.get())
          .or(() -> CommandCatalog.find("info-" + command.get()))
          .orElseThrow(() -> new ControlError(ControlError.COMMAND_NOT_FOUND,
              "unknown command '" + command.get() + "' (try 'help')"));
      ObjectNode data = VmmControl.Json.MAPPER.createObjectNode();
      data.put("name", spec.name());
      data.put("usage", spec.usage());
      data.put("description", spec.description());
      return new Reply(data, "usage: " + spec.usage() + "\n" + spec.description());
    }
    ArrayNode list = VmmControl.Json.MAPPER.createArrayNode();
    StringBuilder text = new StringBuilder();
    for (CommandSpec spec : CommandCatalog.all()) {
      ObjectNode entry = list.addObject();
      entry.put("name", spec.name());
      entry.put("usage", spec.usage());
      entry.put("summary", spec.summary());
      if (!text.isEmpty()) {
        text.append('\n');
      }
      text.append(String.format("%-26s %s", spec.usage(), spec.summary()));
    }
    return new Reply(list, text.toString());
  }
}
