package dev.ovm.io.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FdtBuilder's blob layout (DT spec chapter 5) and its rejections, read back with FdtReader. */
class FdtBuilderTest {

  private static byte[] sample() {
    FdtBuilder fdt = new FdtBuilder(3);
    fdt.addReservation(0x8000_0000L, 0x1000);
    int phandle = fdt.allocatePhandle();
    return fdt.beginNode("")
        .propertyU32("#address-cells", 2)
        .propertyString("compatible", "acme,board")
        .beginNode("bus@1000")
        .propertyU64("reg", 0x1000L, 0x2_0000_0000L)
        .propertyStrings("compatible", "acme,bus1", "acme,bus0")
        .propertyEmpty("ranges")
        .propertyU32("phandle", phandle)
        .beginNode("leaf")
        .property("raw", new byte[] {1, 2, 3})
        .propertyU32("compatible", 7)
        .endNode()
        .endNode()
        .endNode()
        .finish();
  }

  @Test
  void headerFollowsSpecChapter5() {
    byte[] blob = sample();
    ByteBuffer header = ByteBuffer.wrap(blob);
    assertEquals(0xd00dfeed, header.getInt(0), "magic");
    assertEquals(blob.length, header.getInt(4), "totalsize");
    int structOffset = header.getInt(8);
    int stringsOffset = header.getInt(12);
    assertEquals(40, header.getInt(16), "off_mem_rsvmap right after the header");
    assertEquals(17, header.getInt(20), "version");
    assertEquals(16, header.getInt(24), "last_comp_version");
    assertEquals(3, header.getInt(28), "boot_cpuid_phys");
    int stringsSize = header.getInt(32);
    int structSize = header.getInt(36);
    assertEquals(40 + 2 * 16, structOffset, "one reservation plus the terminator");
    assertEquals(structOffset + structSize, stringsOffset);
    assertEquals(stringsOffset + stringsSize, blob.length);
    assertEquals(0, structSize % 4, "structure block is a whole number of tokens");
    assertEquals(1, header.getInt(structOffset), "FDT_BEGIN_NODE first");
    assertEquals(9, header.getInt(stringsOffset - 4), "FDT_END last");
  }

  @Test
  void propertyNamesAreStoredOnceInTheStringsBlock() {
    byte[] blob = sample();
    ByteBuffer header = ByteBuffer.wrap(blob);
    String strings = new String(blob, header.getInt(12), header.getInt(32), StandardCharsets.US_ASCII);
    assertEquals("#address-cells\0compatible\0reg\0ranges\0phandle\0raw\0", strings);
  }

  @Test
  void roundTripsThroughTheReader() {
    FdtTree tree = FdtReader.read(sample());
    assertEquals(17, tree.version());
    assertEquals(3, tree.bootCpuidPhys());
    assertEquals(List.of(new FdtTree.Reservation(0x8000_0000L, 0x1000)), tree.reservations());
    assertEquals(2, tree.root().u32("#address-cells"));
    assertEquals("acme,board", tree.root().string("compatible"));
    FdtNode bus = tree.node("/bus@1000");
    assertNotNull(bus);
    assertArrayEquals(new long[] {0x1000L, 0x2_0000_0000L}, bus.u64Array("reg"));
    assertEquals(List.of("acme,bus1", "acme,bus0"), bus.strings("compatible"));
    assertArrayEquals(new byte[0], bus.property("ranges"));
    assertEquals(List.of("reg", "compatible", "ranges", "phandle"), bus.propertyNames());
    FdtNode leaf = tree.node("/bus@1000/leaf");
    assertNotNull(leaf);
    assertArrayEquals(new byte[] {1, 2, 3}, leaf.property("raw"));
    assertEquals(7, leaf.u32("compatible"));
    assertEquals(bus, tree.nodeByPhandle(1));
    assertEquals(3, tree.allNodes().size());
  }

  /** Any property values and child counts survive writing and reading back, byte for byte. */
  @Test
  void randomTreesRoundTrip() {
    qt().withExamples(500)
        .forAll(lists().of(lists().of(integers().between(-128, 127)).ofSizeBetween(0, 13))
                .ofSizeBetween(0, 12),
            integers().between(0, 5))
        .checkAssert((values, children) -> {
          FdtBuilder fdt = new FdtBuilder().beginNode("");
          for (int i = 0; i < values.size(); i++) {
            fdt.property("p" + i, bytes(values.get(i)));
          }
          for (int c = 0; c < children; c++) {
            fdt.beginNode("child@" + c).propertyU32("reg", c).endNode();
          }
          byte[] blob = fdt.endNode().finish();
          // DT spec 5.4.1: tokens are 4-byte aligned; the strings block (5.5) has no alignment.
          assertEquals(0, ByteBuffer.wrap(blob).getInt(36) % 4, "structure block size");
          FdtNode root = FdtReader.read(blob).root();
          assertEquals(values.size(), root.propertyNames().size());
          for (int i = 0; i < values.size(); i++) {
            assertArrayEquals(bytes(values.get(i)), root.property("p" + i));
          }
          assertEquals(children, root.children().size());
          for (int c = 0; c < children; c++) {
            FdtNode child = root.child("child@" + c);
            assertNotNull(child);
            assertEquals(c, child.u32("reg"));
          }
        });
  }

  private static byte[] bytes(List<Integer> values) {
    byte[] bytes = new byte[values.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (int) values.get(i);
    }
    return bytes;
  }

  @Test
  void phandlesCountUpFromOne() {
    FdtBuilder fdt = new FdtBuilder();
    assertEquals(1, fdt.allocatePhandle());
    assertEquals(2, fdt.allocatePhandle());
    assertEquals(3, fdt.allocatePhandle());
  }

  @Test
  void unbalancedTreesAreRefused() {
    FdtBuilder open = new FdtBuilder().beginNode("").beginNode("child");
    IllegalStateException e = assertThrows(IllegalStateException.class, open::finish);
    assertTrue(e.getMessage().contains("/child is still open"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> new FdtBuilder().finish());
    assertThrows(IllegalStateException.class, () -> new FdtBuilder().endNode());
    FdtBuilder closed = new FdtBuilder().beginNode("").endNode();
    assertThrows(IllegalStateException.class, () -> closed.beginNode(""));
    assertThrows(IllegalStateException.class, () -> closed.propertyEmpty("x"));
  }

  @Test
  void aFinishedBuilderRefusesMoreWork() {
    FdtBuilder fdt = new FdtBuilder().beginNode("").endNode();
    fdt.finish();
    assertThrows(IllegalStateException.class, fdt::finish);
    assertThrows(IllegalStateException.class, () -> fdt.beginNode(""));
  }

  @Test
  void propertiesMustPrecedeChildren() {
    FdtBuilder fdt = new FdtBuilder().beginNode("").beginNode("a").endNode();
    assertThrows(IllegalStateException.class, () -> fdt.propertyEmpty("late"));
  }

  @Test
  void namesFollowSpecSection2_2() {
    FdtBuilder fdt = new FdtBuilder().beginNode("");
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("1abc"));
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("a b"));
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("node@"));
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("x".repeat(32)));
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyEmpty("bad name"));
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyEmpty(""));
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyString("s", "nul\0inside"));
    assertThrows(IllegalArgumentException.class, () -> new FdtBuilder().beginNode("notroot"));
    fdt.propertyEmpty("#ok?,+_.-");
    fdt.beginNode("x".repeat(31) + "@0,1").endNode();
  }

  @Test
  void repeatedNamesAreRefused() {
    FdtBuilder fdt = new FdtBuilder().beginNode("").propertyU32("a", 1);
    assertThrows(IllegalArgumentException.class, () -> fdt.propertyU32("a", 2));
    fdt.beginNode("n").endNode();
    assertThrows(IllegalArgumentException.class, () -> fdt.beginNode("n"));
  }
}
