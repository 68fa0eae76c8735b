package dev.ovm.manager.control;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The result of a command that succeeded, in both forms the front ends need.
 *
 * @param data the socket's {@code return} value (an object or array)
 * @param text the same for a person: what the console and {@code ovm ctl} print (lines without
 *     a final newline; empty if there is nothing to say)
 */
public record Reply(JsonNode data, String text) {}
