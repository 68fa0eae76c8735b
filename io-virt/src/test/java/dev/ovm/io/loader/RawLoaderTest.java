package dev.ovm.io.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RawLoader copies bytes to an address and refuses images that do not fit, writing nothing. */
class RawLoaderTest {
  private static final long RAM = 0x8000_0000L;

  @TempDir Path dir;

  @Test
  void copiesTheImageToTheAddress() throws ImageException {
    RecordingMemory memory = new RecordingMemory(RAM, 4096);
    RawImage image = RawLoader.load("fw.bin", new byte[] {1, 2, 3}, RAM + 0x100, memory);
    assertEquals(new RawImage(RAM + 0x100, RAM + 0x103), image);
    assertEquals(1, memory.at(RAM + 0x100));
    assertEquals(3, memory.at(RAM + 0x102));
    assertEquals(0, memory.at(RAM + 0x103));
  }

  @Test
  void loadsAFileUpToTheLastByteOfRam() throws Exception {
    Path file = dir.resolve("Image");
    Files.write(file, new byte[16]);
    RecordingMemory memory = new RecordingMemory(RAM, 4096);
    assertEquals(RAM + 4096, RawLoader.load(file, RAM + 4080, memory).end());
  }

  @Test
  void refusesImagesThatDoNotFit() {
    RecordingMemory memory = new RecordingMemory(RAM, 4096);
    ImageException past = assertThrows(ImageException.class,
        () -> RawLoader.load("fw.bin", new byte[17], RAM + 4080, memory));
    assertEquals("fw.bin: image at 0x80000ff0 (size 0x11) does not fit in RAM 0x80000000-0x80000fff",
        past.getMessage());
    ImageException below = assertThrows(ImageException.class,
        () -> RawLoader.load("fw.bin", new byte[1], RAM - 1, memory));
    assertEquals("fw.bin: image at 0x7fffffff (size 0x1) does not fit in RAM 0x80000000-0x80000fff",
        below.getMessage());
    assertThrows(ImageException.class,
        () -> RawLoader.load("fw.bin", new byte[16], -8L, memory));
    assertEquals("fw.bin: image is empty", assertThrows(ImageException.class,
        () -> RawLoader.load("fw.bin", new byte[0], RAM, memory)).getMessage());
    assertEquals(0, memory.writes.size());
  }

  @Test
  void reportsAMissingFile() {
    Path absent = dir.resolve("absent.bin");
    ImageException e = assertThrows(ImageException.class,
        () -> RawLoader.load(absent, RAM, new RecordingMemory(RAM, 4096)));
    assertEquals(absent + ": no such file", e.getMessage());
    ImageException directory = assertThrows(ImageException.class,
        () -> RawLoader.load(dir, RAM, new RecordingMemory(RAM, 4096)));
    assertTrue(directory.getMessage().startsWith(dir + ": cannot read: "), directory.getMessage());
    assertTrue(!directory.getMessage().contains("Exception"), directory.getMessage());
  }
}
