package dev.ovm.io.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FdtReader rejects malformed blobs with FdtFormatException and nothing else. */
class FdtReaderTest {

  private static byte[] valid() {
    return VirtDeviceTree.build(new VirtDeviceTree.Config(
        2, "rv64imac_zicsr_zifencei", 0x8000_0000L, 64L << 20, "console=ttyS0",
        null, 2));
  }

  private static String rejection(byte[] blob) {
    return assertThrows(FdtFormatException.class, () -> FdtReader.read(blob)).getMessage();
  }

  @Test
  void rejectsShortBlobsAndBadMagic() {
    assertTrue(rejection(new byte[10]).contains("shorter than the 40-byte header"));
    byte[] blob = valid();
    blob[0] = 0;
    assertTrue(rejection(blob).contains("bad magic"));
  }

  @Test
  void rejectsHeaderFieldsThatPointOutsideTheBlob() {
    byte[] blob = valid();
    ByteBuffer.wrap(blob).putInt(4, blob.length + 1);
    assertTrue(rejection(blob).contains("totalsize"));

    blob = valid();
    ByteBuffer.wrap(blob).putInt(36, 0x7fff_fff0);
    assertTrue(rejection(blob).contains("structure block"));

    blob = valid();
    ByteBuffer.wrap(blob).putInt(12, -4);
    assertTrue(rejection(blob).contains("strings block"));

    blob = valid();
    ByteBuffer.wrap(blob).putInt(20, 16);
    assertTrue(rejection(blob).contains("unsupported version"));
  }

  @Test
  void rejectsATruncatedStructureBlock() {
    byte[] blob = valid();
    ByteBuffer header = ByteBuffer.wrap(blob);
    header.putInt(36, header.getInt(36) - 8);
    assertTrue(rejection(blob).contains("offset"));
  }

  @Test
  void rejectsABadPropertyNameOffset() {
    byte[] blob = valid();
    ByteBuffer header = ByteBuffer.wrap(blob);
    int structure = header.getInt(8);
    // root: BEGIN_NODE, "\0" padded to 4 bytes, then the first FDT_PROP: len, nameoff
    assertEquals(3, header.getInt(structure + 8));
    header.putInt(structure + 16, 0x7fff_0000);
    assertTrue(rejection(blob).contains("name offset"));
  }

  @Test
  void acceptsAValidBlobWithTrailingSpace() {
    byte[] blob = valid();
    byte[] bigger = java.util.Arrays.copyOf(blob, blob.length + 100);
    assertEquals("riscv-virtio", FdtReader.read(bigger).root().string("compatible"));
  }

  /** Random bytes, and valid blobs with random bytes overwritten, never escape as another exception. */
  @Test
  void malformedBlobsOnlyEverRaiseFdtFormatException() {
    qt().withExamples(2000)
        .forAll(lists().of(integers().between(-128, 127)).ofSizeBetween(0, 200))
        .checkAssert(bytes -> {
          byte[] blob = new byte[bytes.size()];
          for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) (int) bytes.get(i);
          }
          readOrReject(blob);
        });
    byte[] valid = valid();
    qt().withExamples(5000)
        .forAll(lists().of(integers().between(0, valid.length * 256 - 1)).ofSizeBetween(1, 6))
        .checkAssert(edits -> {
          byte[] blob = valid.clone();
          for (int edit : edits) {
            blob[edit / 256] = (byte) edit;
          }
          readOrReject(blob);
        });
    qt().withExamples(1000)
        .forAll(integers().between(0, valid.length))
        .checkAssert(length -> readOrReject(java.util.Arrays.copyOf(valid, length)));
  }

  private static void readOrReject(byte[] blob) {
    try {
      FdtTree tree = FdtReader.read(blob);
      tree.allNodes().forEach(node -> node.propertyNames().forEach(node::property));
    } catch (FdtFormatException expected) {
      assertTrue(!expected.getMessage().isEmpty());
    }
  }

  @Test
  void typedAccessorsCheckLengths() {
    FdtTree tree = FdtReader.read(valid());
    FdtNode root = tree.root();
    assertThrows(FdtFormatException.class, () -> root.u32("compatible"));
    assertThrows(java.util.NoSuchElementException.class, () -> root.u32("absent"));
    FdtNode memory = tree.node("/memory@80000000");
    assertThrows(FdtFormatException.class, () -> memory.u32("reg"));
    assertEquals(List.of(0x8000_0000L, 64L << 20),
        java.util.Arrays.stream(memory.u64Array("reg")).boxed().toList());
  }
}
