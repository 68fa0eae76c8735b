package dev.ovm.io.fdt;

/** Checks node and property names against the Devicetree Specification's rules. */
final class FdtNames {
  private FdtNames() {}

  /**
   * Checks {@code node-name[@unit-address]} (DT spec 2.2.1): the node name is 1 to 31 characters
   * from {@code [0-9a-zA-Z,._+-]} and starts with a letter; the optional unit address after one
   * {@code @} is non-empty and drawn from the same characters.
   *
   * @throws IllegalArgumentException if the name breaks these rules
   */
  static void checkNodeName(String name) {
    int at = name.indexOf('@');
    String nodeName = at < 0 ? name : name.substring(0, at);
    if (nodeName.isEmpty() || nodeName.length() > FdtFormat.MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("node name must be 1 to 31 characters: \"" + name + "\"");
    }
    if (!isLetter(nodeName.charAt(0))) {
      throw new IllegalArgumentException("node name must start with a letter: \"" + name + "\"");
    }
    checkCharacters(nodeName, name, false);
    if (at >= 0) {
      String unitAddress = name.substring(at + 1);
      if (unitAddress.isEmpty()) {
        throw new IllegalArgumentException("empty unit address: \"" + name + "\"");
      }
      checkCharacters(unitAddress, name, false);
    }
  }

  /**
   * Checks a property name (DT spec 2.2.4.1): 1 to 31 characters from {@code [0-9a-zA-Z,._+?#-]}.
   *
   * @throws IllegalArgumentException if the name breaks these rules
   */
  static void checkPropertyName(String name) {
    if (name.isEmpty() || name.length() > FdtFormat.MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "property name must be 1 to 31 characters: \"" + name + "\"");
    }
    checkCharacters(name, name, true);
  }

  private static void checkCharacters(String part, String whole, boolean property) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      boolean valid =
          isLetter(c)
              || (c >= '0' && c <= '9')
              || c == ','
              || c == '.'
              || c == '_'
              || c == '+'
              || c == '-'
              || (property && (c == '?' || c == '#'));
      if (!valid) {
        throw new IllegalArgumentException(
            String.format("character U+%04X not allowed in name \"%s\"", (int) c, whole));
      }
    }
  }

  private static boolean isLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
