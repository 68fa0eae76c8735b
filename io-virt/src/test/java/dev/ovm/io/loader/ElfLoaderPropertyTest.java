package dev.ovm.io.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Random damage to a valid ELF file: the loader either loads it, writing only inside RAM and
 * returning addresses inside RAM, or throws ImageException having written nothing. Any other
 * exception (IndexOutOfBounds, GuestMemoryException, the AssertionError RecordingMemory throws on
 * an access outside RAM, ...) fails the property.
 */
class ElfLoaderPropertyTest {
  private static final long RAM = 0x8000_0000L;
  private static final int RAM_SIZE = 64 * 1024;
  private static final byte[] VALID = TestElf.typical().build();

  private static void loadOrReject(byte[] file) {
    RecordingMemory memory = new RecordingMemory(RAM, RAM_SIZE);
    try {
      ElfImage image = ElfLoader.load("fuzz.elf", file, memory);
      assertTrue(image.lowestAddress() >= RAM && image.endAddress() <= RAM + RAM_SIZE);
      assertTrue(image.entry() >= image.lowestAddress() && image.entry() < image.endAddress());
    } catch (ImageException rejected) {
      assertEquals(0, memory.writes.size(), "RAM written before a rejection");
      assertTrue(rejected.getMessage().startsWith("fuzz.elf: "));
    }
  }

  @Test
  void randomByteEditsLoadOrRaiseImageException() {
    qt().withExamples(20_000)
        .forAll(lists().of(integers().between(0, VALID.length * 256 - 1)).ofSizeBetween(1, 8))
        .checkAssert(edits -> {
          byte[] file = VALID.clone();
          for (int edit : edits) {
            file[edit / 256] = (byte) edit;
          }
          loadOrReject(file);
        });
  }

  /** Whole 64-bit fields of the headers (offsets, sizes, addresses) replaced by any value. */
  @Test
  void randomHeaderFieldsLoadOrRaiseImageException() {
    int headers = 64 + 2 * 56;
    qt().withExamples(20_000)
        .forAll(integers().between(0, headers - 8), longs().all(),
            integers().between(0, VALID.length - 8), longs().between(-2, 0x2_0000))
        .checkAssert((at, value, at2, small) -> {
          byte[] file = VALID.clone();
          ByteBuffer buffer = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
          buffer.putLong(at, value);
          buffer.putLong(at2 - at2 % 4, small);
          loadOrReject(file);
        });
  }

  @Test
  void truncatedFilesLoadOrRaiseImageException() {
    qt().withExamples(2_000)
        .forAll(integers().between(0, VALID.length))
        .checkAssert(length -> loadOrReject(Arrays.copyOf(VALID, length)));
  }
}
