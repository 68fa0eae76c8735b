package dev.ovm.manager.cli;

import dev.ovm.manager.machine.MachineConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Parses QEMU's {@code -drive} syntax as far as ovm supports it: {@code file=FILE} (required),
 * {@code format=raw}, {@code if=virtio}, {@code readonly=on|off}; anything else is an error.
 */
final class DriveSpec {
  private DriveSpec() {}

  /**
   * Parses one {@code -drive} value.
   *
   * @throws UserError with a one-line reason
   */
  static MachineConfig.Drive parse(String text) {
    String file = null;
    boolean readOnly = false;
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      switch (key) {
        case "file" -> file = value;
        case "format" -> {
          if (!"raw".equals(value)) {
            throw new UserError("-drive " + text + ": only format=raw is supported, not '" + value + "'");
          }
        }
        case "if" -> {
          if (!"virtio".equals(value) && !"none".equals(value)) {
            throw new UserError("-drive " + text + ": only if=virtio is supported");
          }
        }
        case "readonly" -> readOnly = switch (value) {
          case "on", "true", "" -> true;
          case "off", "false" -> false;
          default -> throw new UserError("-drive " + text + ": readonly must be on or off");
        };
        default -> throw new UserError("-drive " + text + ": unknown option '" + key + "'");
      }
    }
    if (file == null || file.isEmpty()) {
      throw new UserError("-drive " + text + ": file=FILE is required");
    }
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new UserError("-drive " + text + ": " + file + ": no such file");
    }
    return new MachineConfig.Drive(path, readOnly);
  }
}
