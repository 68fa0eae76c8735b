package dev.ovm.io.fdt;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits a RISC-V ISA string such as {@code rv64imac_zicsr_zifencei} into the extension names the
 * devicetree's {@code riscv,isa-extensions} property lists (Unpriv spec chapter "ISA Extension
 * Naming Conventions"; the binding is Linux's Documentation/devicetree/bindings/riscv/extensions.yaml).
 *
 * <p>Accepted: {@code rv64} followed by the base {@code i} or {@code g}, then single-letter
 * standard extensions, then multi-letter extensions ({@code z*}, {@code s*}, {@code x*}) each
 * after an underscore. {@code g} stands for {@code imafd_zicsr_zifencei}. Version numbers are not
 * accepted. Letters are case-insensitive; the result is lower case.
 */
final class IsaString {
  private IsaString() {}

  /** The base ISA for the {@code riscv,isa-base} property. */
  static final String BASE = "rv64i";

  private static final String SINGLE_LETTER_EXTENSIONS = "imafdqcbvh";

  /**
   * The extensions named by {@code isa}, in order, without repeats.
   *
   * @throws IllegalArgumentException if {@code isa} is not an RV64 ISA string of the accepted form
   */
  static List<String> extensions(String isa) {
    String lower = isa.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("rv64") || lower.length() < 5) {
      throw new IllegalArgumentException("ISA string must start with rv64i or rv64g: " + isa);
    }
    String[] parts = lower.substring(4).split("_", -1);
    Set<String> extensions = new LinkedHashSet<>();
    List<String> multiLetter = new ArrayList<>();
    String letters = parts[0];
    char base = letters.isEmpty() ? ' ' : letters.charAt(0);
    if (!letters.isEmpty() && letters.charAt(0) == 'g') {
      letters = "imafd" + letters.substring(1);
      multiLetter.add("zicsr");
      multiLetter.add("zifencei");
    } else if (base != 'i') {
      throw new IllegalArgumentException("ISA string must start with rv64i or rv64g: " + isa);
    }
    for (int i = 0; i < letters.length(); i++) {
      char letter = letters.charAt(i);
      if (SINGLE_LETTER_EXTENSIONS.indexOf(letter) < 0) {
        throw new IllegalArgumentException(
            "unknown single-letter extension '" + letter + "' in ISA string " + isa);
      }
      add(extensions, String.valueOf(letter), isa);
    }
    for (int i = 1; i < parts.length; i++) {
      String name = parts[i];
      if (name.length() < 2 || "zsx".indexOf(name.charAt(0)) < 0 || !name.matches("[a-z0-9]+")) {
        throw new IllegalArgumentException(
            "malformed multi-letter extension \"" + name + "\" in ISA string " + isa);
      }
      multiLetter.add(name);
    }
    for (String name : multiLetter) {
      add(extensions, name, isa);
    }
    return List.copyOf(extensions);
  }

  private static void add(Set<String> extensions, String name, String isa) {
    if (!extensions.add(name)) {
      throw new IllegalArgumentException("extension " + name + " repeated in ISA string " + isa);
    }
  }
}
