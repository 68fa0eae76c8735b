package dev.ovm.manager.cli;

import java.util.Locale;
import picocli.CommandLine;

/**
 * Parses a memory size as QEMU's {@code -m} does: a number with an optional suffix K, M, G or T
 * (powers of 1024, case-insensitive, an optional trailing B); a plain number means MiB.
 */
public final class SizeConverter implements CommandLine.ITypeConverter<Long> {
  /** Picocli instantiates the converter. */
  public SizeConverter() {}

  @Override
  public Long convert(String text) {
    return parse(text);
  }

  /**
   * Parses {@code text} into a byte count.
   *
   * @throws CommandLine.TypeConversionException if it is not a positive size that fits in 63 bits
   */
  public static long parse(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT);
    if (s.endsWith("IB")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
      s = s.substring(0, s.length() - 1);
    }
    int shift = 20;
    if (!s.isEmpty()) {
      switch (s.charAt(s.length() - 1)) {
        case 'K' -> shift = 10;
        case 'M' -> shift = 20;
        case 'G' -> shift = 30;
        case 'T' -> shift = 40;
        default -> shift = -1;
      }
      if (shift >= 0) {
        s = s.substring(0, s.length() - 1);
      } else {
        shift = 20;
      }
    }
    long value;
    try {
      value = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + text + "' is not a size (e.g. 128M, 1G)");
    }
    if (value <= 0 || value > (Long.MAX_VALUE >> shift)) {
      throw new CommandLine.TypeConversionException("'" + text + "' is not a usable size");
    }
    return value << shift;
  }
}
