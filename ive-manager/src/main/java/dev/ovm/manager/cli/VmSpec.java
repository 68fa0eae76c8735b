package dev.ovm.manager.cli;

import dev.ovm.manager.machine.MachineConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code --vm} argument: {@code key=value} pairs separated by commas. Machine keys are {@code
 * name}, {@code kernel}, {@code bios}, {@code m}, {@code smp}, {@code append} (no commas inside),
 * {@code initrd}; every other key is a scheduling parameter of that VM passed to the pool's policy
 * (e.g. {@code weight=512}, {@code cap=25}, {@code period=...}, {@code budget=...}).
 *
 * @param config the machine
 * @param schedulerParameters the policy parameters, in the order given
 */
public record VmSpec(MachineConfig config, Map<String, String> schedulerParameters) {

  /** Copies the parameter map. */
  public VmSpec {
    schedulerParameters = Map.copyOf(new LinkedHashMap<>(schedulerParameters));
  }

  /**
   * Parses {@code text}.
   *
   * @param defaultName the name if none is given (e.g. {@code vm1})
   * @throws UserError with a one-line reason for a malformed pair or value
   */
  public static VmSpec parse(String text, String defaultName, boolean deterministic) {
    String name = defaultName;
    Optional<Path> kernel = Optional.empty();
    Optional<Path> bios = Optional.empty();
    Optional<Path> initrd = Optional.empty();
    long memory = 128L << 20;
    int harts = 1;
    String append = "";
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new UserError("--vm " + text + ": '" + pair + "' is not key=value");
      }
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      switch (key) {
        case "name" -> name = value;
        case "kernel" -> kernel = Optional.of(Path.of(value));
        case "bios" -> bios = "none".equals(value) ? Optional.empty() : Optional.of(Path.of(value));
        case "initrd" -> initrd = Optional.of(Path.of(value));
        case "append" -> append = value;
        case "m" -> memory = size(text, value);
        case "smp" -> harts = number(text, key, value);
        default -> parameters.put(key, value);
      }
    }
    try {
      return new VmSpec(
          new MachineConfig(name, kernel, bios, memory, harts, append, initrd, deterministic),
          parameters);
    } catch (IllegalArgumentException e) {
      throw new UserError("--vm " + text + ": " + e.getMessage(), e);
    }
  }

  private static long size(String text, String value) {
    try {
      return SizeConverter.parse(value);
    } catch (RuntimeException e) {
      throw new UserError("--vm " + text + ": " + e.getMessage(), e);
    }
  }

  private static int number(String text, String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new UserError("--vm " + text + ": " + key + " must be a whole number, got '" + value + "'", e);
    }
  }
}
