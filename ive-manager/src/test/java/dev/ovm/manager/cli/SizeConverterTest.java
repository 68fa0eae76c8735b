package dev.ovm.manager.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SizeConverterTest {
  @Test
  void suffixesArePowersOf1024AndPlainNumbersAreMebibytes() {
    assertEquals(128L << 20, SizeConverter.parse("128"));
    assertEquals(128L << 20, SizeConverter.parse("128M"));
    assertEquals(1L << 30, SizeConverter.parse("1G"));
    assertEquals(1L << 30, SizeConverter.parse("1g"));
    assertEquals(512L << 10, SizeConverter.parse("512K"));
    assertEquals(2L << 30, SizeConverter.parse("2GiB"));
    assertEquals(64L << 20, SizeConverter.parse("64MB"));
  }

  @Test
  void garbageZeroAndOverflowAreRejected() {
    for (String bad : new String[] {"", "M", "lots", "0", "-5M", "99999999999T", "1.5G"}) {
      assertThrows(CommandLine.TypeConversionException.class, () -> SizeConverter.parse(bad), bad);
    }
  }
}
