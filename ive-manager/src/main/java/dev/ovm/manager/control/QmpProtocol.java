package dev.ovm.manager.control;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One client's side of the control protocol, modelled on QEMU's QMP: the server greets with
 * {@link #greeting()}; the client must first send {@code {"execute":"qmp_capabilities"}}; then
 * each request {@code {"execute": NAME, "arguments": {...}, "id": ANY}} gets {@code {"return":
 * DATA, "id": ANY}} or {@code {"error": {"class": C, "desc": D}, "id": ANY}}. Besides the commands
 * of the {@link CommandCatalog}: {@code query-commands}, and {@code human-monitor-command} with
 * {@code {"command-line": "info vms"}}, which returns the console's text.
 *
 * <p>Transport-independent: the socket feeds it one request per line. A line that is not JSON, or
 * not a request, gets an error reply and the session goes on. Not thread-safe: one per client.
 */
public final class QmpProtocol {
  /** The protocol version the greeting announces. */
  public static final int MAJOR = 0;
  /** See {@link #MAJOR}. */
  public static final int MINOR = 1;

  private final VmmControl control;
  private boolean negotiated;

  /** A session that runs commands on {@code control}. */
  public QmpProtocol(VmmControl control) {
    this.control = control;
  }

  /** The greeting the server sends first. */
  public static ObjectNode greeting() {
    ObjectNode greeting = VmmControl.Json.MAPPER.createObjectNode();
    ObjectNode qmp = greeting.putObject("QMP");
    ObjectNode version = qmp.putObject("version");
    version.putObject("ovm").put("major", MAJOR).put("minor", MINOR).put("micro", 0);
    version.put("package", "ovm");
    qmp.putArray("capabilities");
    return greeting;
  }

  /** True once the client has sent {@code qmp_capabilities}: events may be sent from then on. */
  public boolean negotiated() {
    return negotiated;
  }

  /** The reply to one request line. */
  public ObjectNode handle(String line) {
    JsonNode request;
    try {
      request = VmmControl.Json.MAPPER.readTree(line);
    } catch (JacksonException e) {
      return error(null, ControlError.GENERIC, "JSON parse error: " + e.getOriginalMessage());
    }
    if (request == null || !request.isObject()) {
      return error(null, ControlError.GENERIC, "QMP input must be a JSON object");
    }
    JsonNode id = request.get("id");
    JsonNode execute = request.get("execute");
    if (execute == null || !execute.isTextual()) {
      return error(id, ControlError.GENERIC, "QMP input lacks member 'execute'");
    }
    for (var field : request.properties()) {
      String key = field.getKey();
      if (!key.equals("execute") && !key.equals("arguments") && !key.equals("id")) {
        return error(id, ControlError.GENERIC, "QMP input member '" + key + "' is unexpected");
      }
    }
    try {
      return ok(id, run(execute.asText(), request.get("arguments")));
    } catch (ControlError e) {
      return error(id, e.errorClass(), String.valueOf(e.getMessage()));
    }
  }

  private JsonNode run(String name, @Nullable JsonNode arguments) {
    if (name.equals("qmp_capabilities")) {
      if (negotiated) {
        throw new ControlError(ControlError.COMMAND_NOT_FOUND,
            "Capabilities negotiation is already complete, command ignored");
      }
      negotiated = true;
      return VmmControl.Json.MAPPER.createObjectNode();
    }
    if (!negotiated) {
      throw new ControlError(ControlError.COMMAND_NOT_FOUND,
          "Expecting capabilities negotiation with 'qmp_capabilities'");
    }
    return switch (name) {
      case "query-commands" -> commands();
      case "human-monitor-command" -> VmmControl.Json.MAPPER.getNodeFactory().textNode(human(arguments));
      default -> control.execute(CommandParser.parseJson(name, arguments).command()).data();
    };
  }

  private String human(@Nullable JsonNode arguments) {
    @Nullable JsonNode line = arguments == null ? null : arguments.get("command-line");
    if (line == null || !line.isTextual()) {
      throw new ControlError("Parameter 'command-line' is missing (human-monitor-command)");
    }
    return control.execute(CommandParser.parse(line.asText())).text();
  }

  private static ArrayNode commands() {
    ArrayNode list = VmmControl.Json.MAPPER.createArrayNode();
    list.addObject().put("name", "qmp_capabilities");
    list.addObject().put("name", "query-commands");
    list.addObject().put("name", "human-monitor-command");
    for (CommandSpec spec : CommandCatalog.all()) {
      list.addObject().put("name", spec.name());
    }
    return list;
  }

  private static ObjectNode ok(@Nullable JsonNode id, JsonNode data) {
    ObjectNode reply = VmmControl.Json.MAPPER.createObjectNode();
    reply.set("return", data);
    if (id != null) {
      reply.set("id", id);
    }
    return reply;
  }

  private static ObjectNode error(@Nullable JsonNode id, String errorClass, String description) {
    ObjectNode reply = VmmControl.Json.MAPPER.createObjectNode();
    reply.putObject("error").put("class", errorClass).put("desc", description);
    if (id != null) {
      reply.set("id", id);
    }
    return reply;
  }
}
