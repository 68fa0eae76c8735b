package dev.ovm.io.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.memory.GuestRam;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ElfLoader: a good load, and each rejection with its one-line message and no RAM written. */
class ElfLoaderTest {
  private static final long RAM = 0x8000_0000L;

  @TempDir Path dir;

  private static RecordingMemory ram() {
    return new RecordingMemory(RAM, 64 * 1024);
  }

  /** Loads {@code elf} after {@code damage} and returns the message; checks nothing was written. */
  private static String rejection(TestElf elf, Consumer<ByteBuffer> damage) {
    byte[] file = elf.build();
    damage.accept(ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN));
    RecordingMemory memory = ram();
    ImageException e = assertThrows(ImageException.class,
        () -> ElfLoader.load("kernel.elf", file, memory));
    assertEquals(0, memory.writes.size(), "RAM written before the rejection");
    assertTrue(e.getMessage().startsWith("kernel.elf: "), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line");
    return e.getMessage();
  }

  private static String rejection(TestElf elf) {
    return rejection(elf, buffer -> {});
  }

  @Test
  void loadsSegmentsZeroFillsBssAndFindsSymbols() throws ImageException {
    RecordingMemory memory = ram();
    memory.fill((byte) 0xaa);
    ElfImage image = ElfLoader.load("kernel.elf", TestElf.typical().build(), memory);
    assertEquals(RAM, image.entry());
    assertEquals(RAM, image.lowestAddress());
    assertEquals(RAM + 0x1100, image.endAddress());
    assertEquals(0x13, memory.at(RAM));
    assertEquals(0x6f, memory.at(RAM + 4));
    assertEquals((byte) 0xaa, memory.at(RAM + 8), "bytes between segments are untouched");
    assertEquals(8, memory.at(RAM + 0x1007));
    for (long a = RAM + 0x1008; a < RAM + 0x1100; a++) {
      assertEquals(0, memory.at(a), "bss zero-filled at " + Long.toHexString(a));
    }
    assertEquals((byte) 0xaa, memory.at(RAM + 0x1100), "nothing past p_memsz");
    assertEquals(OptionalLong.of(RAM + 0x1000), image.symbol("tohost"));
    assertEquals(OptionalLong.of(RAM + 0x1040), image.symbol("fromhost"));
    assertEquals(OptionalLong.of(RAM + 4), image.symbol("loop"));
    assertEquals(OptionalLong.empty(), image.symbol("missing"));
  }

  @Test
  void globalSymbolsWinOverLocalsOfTheSameName() throws ImageException {
    TestElf elf = TestElf.typical();
    elf.locals.put("tohost", 0x1234L);
    ElfImage image = ElfLoader.load("kernel.elf", elf.build(), ram());
    assertEquals(OptionalLong.of(RAM + 0x1000), image.symbol("tohost"));
  }

  @Test
  void aFileWithoutSectionHeadersHasNoSymbols() throws ImageException {
    TestElf elf = TestElf.typical();
    elf.withSymbols = false;
    assertTrue(ElfLoader.load("kernel.elf", elf.build(), ram()).symbols().isEmpty());
  }

  @Test
  void entryIsMovedFromVirtualToPhysicalAddress() throws ImageException {
    TestElf elf = new TestElf();
    elf.segment(new TestElf.Segment(1, 0xffff_ffff_8000_0000L, RAM + 0x2000, new byte[32], 32));
    elf.entry = 0xffff_ffff_8000_0010L;
    ElfImage image = ElfLoader.load("vmlinux", elf.build(), ram());
    assertEquals(RAM + 0x2010, image.entry());
    assertEquals(RAM + 0x2000, image.lowestAddress());
  }

  @Test
  void loadsFromAFile() throws Exception {
    Path file = dir.resolve("kernel.elf");
    Files.write(file, TestElf.typical().build());
    assertEquals(RAM, ElfLoader.load(file, ram()).entry());
    ImageException missing = assertThrows(ImageException.class,
        () -> ElfLoader.load(dir.resolve("absent.elf"), ram()));
    assertEquals(dir.resolve("absent.elf") + ": no such file", missing.getMessage());
  }

  @Test
  void rejectsWhatIsNotARiscVExecutable() {
    assertEquals("kernel.elf: not an ELF file", rejection(TestElf.typical(), b -> b.put(1, (byte) 'X')));
    RecordingMemory memory = ram();
    assertEquals("kernel.elf: not an ELF file", assertThrows(ImageException.class,
        () -> ElfLoader.load("kernel.elf", new byte[] {0x7f, 'E'}, memory)).getMessage());
    assertEquals("kernel.elf: truncated ELF header (file is 20 bytes, the header 64)",
        assertThrows(ImageException.class, () -> ElfLoader.load("kernel.elf",
            java.util.Arrays.copyOf(TestElf.typical().build(), 20), memory)).getMessage());
    TestElf elf = TestElf.typical();
    elf.elfClass = 1;
    assertEquals("kernel.elf: ELF class is 32-bit (1), expected 64-bit (2)", rejection(elf));
    elf = TestElf.typical();
    elf.data = 2;
    assertEquals("kernel.elf: ELF data encoding is big-endian (2), expected little-endian (1)",
        rejection(elf));
    elf = TestElf.typical();
    elf.identVersion = 0;
    assertEquals("kernel.elf: ELF version is 0, expected 1", rejection(elf));
    elf = TestElf.typical();
    elf.version = 2;
    assertEquals("kernel.elf: ELF header e_version is 2, expected 1", rejection(elf));
    elf = TestElf.typical();
    elf.type = 3;
    assertEquals("kernel.elf: ELF type is shared object (3), expected executable (2)",
        rejection(elf));
    elf = TestElf.typical();
    elf.machine = 62;
    assertEquals("kernel.elf: ELF machine is x86-64 (62), expected RISC-V (243)", rejection(elf));
    elf = TestElf.typical();
    elf.machine = 999;
    assertEquals("kernel.elf: ELF machine is unknown (999), expected RISC-V (243)", rejection(elf));
  }

  @Test
  void rejectsBadHeaderSizesAndProgramHeaderTables() {
    TestElf elf = TestElf.typical();
    elf.headerSize = 52;
    assertEquals("kernel.elf: ELF header size is 52, expected 64", rejection(elf));
    elf = TestElf.typical();
    elf.programHeaderSize = 32;
    assertEquals("kernel.elf: program header size is 32, expected 56", rejection(elf));
    elf = new TestElf();
    assertEquals("kernel.elf: no program headers", rejection(elf));
    assertTrue(rejection(TestElf.typical(), b -> b.putLong(32, b.capacity() - 60))
        .contains("program headers at 0x"));
    assertTrue(rejection(TestElf.typical(), b -> b.putLong(32, -1L))
        .contains("run past the end of the file"));
  }

  @Test
  void rejectsSegmentsOutsideTheFileOrRam() {
    assertTrue(rejection(TestElf.typical(), b -> b.putLong(64 + 8, b.capacity() - 4))
        .startsWith("kernel.elf: segment 0: file bytes at 0x"));
    assertTrue(rejection(TestElf.typical(), b -> b.putLong(64 + 32, Long.MAX_VALUE))
        .contains("run past the end of the file"));
    assertEquals("kernel.elf: segment 1: file size 0x8 exceeds its memory size 0x4",
        rejection(TestElf.typical(), b -> b.putLong(64 + 56 + 40, 4)));
    assertEquals("kernel.elf: segment at 0x80010000 (size 0x100) does not fit in RAM "
            + "0x80000000-0x8000ffff",
        rejection(TestElf.typical(), b -> b.putLong(64 + 56 + 24, RAM + 0x1_0000)));
    assertEquals("kernel.elf: segment at 0x8000ff00 (size 0x101) does not fit in RAM "
            + "0x80000000-0x8000ffff",
        rejection(TestElf.typical(), b -> {
          b.putLong(64 + 56 + 24, RAM + 0xff00);
          b.putLong(64 + 56 + 40, 0x101);
        }));
    assertTrue(rejection(TestElf.typical(), b -> b.putLong(64 + 56 + 40, -8L))
        .contains("does not fit in RAM"));
    assertTrue(rejection(TestElf.typical(), b -> b.putLong(64 + 56 + 24, -16L))
        .contains("segment at 0xfffffffffffffff0 (size 0x100) does not fit"));
  }

  @Test
  void theMessageNamesTheRamOfTheMachine() throws Exception {
    try (GuestRam ram = new GuestRam(RAM, 128L << 20)) {
      TestElf elf = new TestElf();
      elf.entry = 0x8800_0000L;
      elf.segment(TestElf.Segment.load(0x8800_0000L, new byte[16], 0x1000));
      ImageException e = assertThrows(ImageException.class,
          () -> ElfLoader.load("kernel.elf", elf.build(), ram));
      assertEquals("kernel.elf: segment at 0x88000000 (size 0x1000) does not fit in RAM "
          + "0x80000000-0x87ffffff", e.getMessage());
    }
  }

  @Test
  void rejectsOverlapsMissingLoadSegmentsAndAStrayEntry() {
    TestElf elf = TestElf.typical();
    elf.segment(TestElf.Segment.load(RAM + 0x10f0, new byte[4], 0x20));
    assertEquals("kernel.elf: segments 1 (0x80001000-0x800010ff) and 2 (0x800010f0-0x8000110f)"
        + " overlap", rejection(elf));
    elf = new TestElf();
    elf.segment(new TestElf.Segment(4, RAM, RAM, new byte[8], 8)); // PT_NOTE
    assertEquals("kernel.elf: no loadable (PT_LOAD) segments", rejection(elf));
    elf = TestElf.typical();
    elf.entry = RAM + 0x800;
    assertEquals("kernel.elf: entry point 0x80000800 is not inside any loadable segment",
        rejection(elf));
  }

  @Test
  void rejectsMalformedSymbolTables() {
    TestElf elf = TestElf.typical();
    elf.sectionHeaderSize = 40;
    assertEquals("kernel.elf: section header size is 40, expected 64", rejection(elf));
    elf = TestElf.typical();
    elf.build();
    int symtabHeader = elf.offsets.sectionHeaders() + 64;
    assertTrue(rejection(elf, b -> b.putLong(symtabHeader + 56, 16))
        .contains("symbol table at 0x"));
    assertTrue(rejection(elf, b -> b.putLong(symtabHeader + 32, 1L << 40))
        .contains("runs past the end of the file"));
    assertEquals("kernel.elf: symbol table links to missing section 9",
        rejection(elf, b -> b.putInt(symtabHeader + 40, 9)));
    assertTrue(rejection(elf, b -> b.putInt(symtabHeader + 40, 0))
        .contains("is not a string table"));
    int firstSymbol = elf.offsets.symtab() + 24;
    assertTrue(rejection(elf, b -> b.putInt(firstSymbol, 0x7fff_0000))
        .contains("outside its string table"));
    int strtabHeader = elf.offsets.sectionHeaders() + 128;
    assertTrue(rejection(elf, b -> b.putLong(strtabHeader + 32, 3))
        .contains("not NUL-terminated"), "a name cut by the end of its string table");
    assertTrue(rejection(elf, b -> b.putLong(40, b.capacity() - 10))
        .contains("section headers at 0x"));
  }
}
