package dev.ovm.io.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.io.board.VirtMemoryMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The virt board's tree: node layout, VirtMemoryMap values, and every phandle reference resolving. */
class VirtDeviceTreeTest {
  private static final long RAM = 0x8000_0000L;

  private static FdtTree tree(int harts, int virtio) {
    return FdtReader.read(VirtDeviceTree.build(new VirtDeviceTree.Config(
        harts, "rv64imac_zicsr_zifencei", RAM, 128L << 20, "console=ttyS0",
        new VirtDeviceTree.Initrd(0x8100_0000L, 0x8120_0000L), virtio)));
  }

  private static FdtNode node(FdtTree tree, String path) {
    FdtNode node = tree.node(path);
    assertNotNull(node, "no node " + path);
    return node;
  }

  @Test
  void rootChosenAndMemory() {
    FdtTree tree = tree(1, 0);
    assertEquals(0, tree.bootCpuidPhys());
    assertEquals(List.of(), tree.reservations());
    FdtNode root = tree.root();
    assertEquals(2, root.u32("#address-cells"));
    assertEquals(2, root.u32("#size-cells"));
    assertEquals("riscv-virtio", root.string("compatible"));
    assertEquals("riscv-virtio,qemu", root.string("model"));
    FdtNode chosen = node(tree, "/chosen");
    assertEquals("console=ttyS0", chosen.string("bootargs"));
    String stdout = chosen.string("stdout-path");
    assertEquals("/soc/serial@10000000", stdout);
    assertNotNull(tree.node(stdout), "stdout-path names an existing node");
    assertArrayEquals(new long[] {0x8100_0000L}, chosen.u64Array("linux,initrd-start"));
    assertArrayEquals(new long[] {0x8120_0000L}, chosen.u64Array("linux,initrd-end"));
    FdtNode memory = node(tree, "/memory@80000000");
    assertEquals("memory", memory.string("device_type"));
    assertArrayEquals(new long[] {RAM, 128L << 20}, memory.u64Array("reg"));
  }

  @Test
  void oneCpuNodePerHart() {
    FdtTree tree = tree(3, 0);
    FdtNode cpus = node(tree, "/cpus");
    assertEquals(1, cpus.u32("#address-cells"));
    assertEquals(0, cpus.u32("#size-cells"));
    assertEquals(10_000_000, cpus.u32("timebase-frequency"));
    for (int hart = 0; hart < 3; hart++) {
      FdtNode cpu = node(tree, "/cpus/cpu@" + hart);
      assertEquals("cpu", cpu.string("device_type"));
      assertEquals(hart, cpu.u32("reg"));
      assertEquals("okay", cpu.string("status"));
      assertEquals("riscv", cpu.string("compatible"));
      assertEquals("rv64imac_zicsr_zifencei", cpu.string("riscv,isa"));
      assertEquals("rv64i", cpu.string("riscv,isa-base"));
      assertEquals(List.of("i", "m", "a", "c", "zicsr", "zifencei"),
          cpu.strings("riscv,isa-extensions"));
      assertEquals("riscv,sv39", cpu.string("mmu-type"));
      FdtNode intc = node(tree, "/cpus/cpu@" + hart + "/interrupt-controller");
      assertEquals(1, intc.u32("#interrupt-cells"));
      assertTrue(intc.has("interrupt-controller"));
      assertEquals("riscv,cpu-intc", intc.string("compatible"));
      FdtNode core = node(tree, "/cpus/cpu-map/cluster0/core" + hart);
      assertEquals(cpu, tree.nodeByPhandle(core.u32("cpu")), "core" + hart + " names cpu@" + hart);
    }
    assertNull(tree.node("/cpus/cpu@3"));
  }

  @Test
  void phandlesAreUniqueAndEveryReferenceResolves() {
    FdtTree tree = tree(4, 8);
    Set<Integer> seen = new HashSet<>();
    for (FdtNode node : tree.allNodes()) {
      if (node.has("phandle")) {
        int phandle = node.u32("phandle");
        assertTrue(phandle != 0 && phandle != -1, "phandle value");
        assertTrue(seen.add(phandle), "duplicate phandle " + phandle);
      }
      for (String single : new String[] {"interrupt-parent", "regmap", "cpu"}) {
        if (node.has(single)) {
          assertNotNull(tree.nodeByPhandle(node.u32(single)), node.name() + " " + single);
        }
      }
      if (node.has("interrupts-extended")) {
        int[] cells = node.u32Array("interrupts-extended");
        assertEquals(0, cells.length % 2, "pairs of <intc cause>");
        for (int i = 0; i < cells.length; i += 2) {
          FdtNode intc = tree.nodeByPhandle(cells[i]);
          assertNotNull(intc, node.name() + " references phandle " + cells[i]);
          assertEquals("riscv,cpu-intc", intc.string("compatible"));
          assertEquals(1, intc.u32("#interrupt-cells"));
        }
      }
    }
  }

  @Test
  void clintAndPlicTargetEveryHart() {
    FdtTree tree = tree(2, 0);
    int intc0 = node(tree, "/cpus/cpu@0/interrupt-controller").u32("phandle");
    int intc1 = node(tree, "/cpus/cpu@1/interrupt-controller").u32("phandle");
    FdtNode clint = node(tree, "/soc/clint@2000000");
    assertEquals(List.of("sifive,clint0", "riscv,clint0"), clint.strings("compatible"));
    assertArrayEquals(new long[] {VirtMemoryMap.CLINT_BASE, VirtMemoryMap.CLINT_SIZE},
        clint.u64Array("reg"));
    assertArrayEquals(new int[] {intc0, 3, intc0, 7, intc1, 3, intc1, 7},
        clint.u32Array("interrupts-extended"));
    FdtNode plic = node(tree, "/soc/plic@c000000");
    assertEquals(List.of("sifive,plic-1.0.0", "riscv,plic0"), plic.strings("compatible"));
    assertArrayEquals(new long[] {VirtMemoryMap.PLIC_BASE, VirtMemoryMap.PLIC_SIZE},
        plic.u64Array("reg"));
    assertArrayEquals(new int[] {intc0, 11, intc0, 9, intc1, 11, intc1, 9},
        plic.u32Array("interrupts-extended"));
    assertEquals(1, plic.u32("#interrupt-cells"));
    assertEquals(0, plic.u32("#address-cells"));
    assertTrue(plic.has("interrupt-controller"));
    assertEquals(VirtMemoryMap.PLIC_SOURCES, plic.u32("riscv,ndev"));
  }

  @Test
  void socDevicesMatchTheMemoryMap() {
    FdtTree tree = tree(1, 3);
    FdtNode soc = node(tree, "/soc");
    assertEquals("simple-bus", soc.string("compatible"));
    assertArrayEquals(new byte[0], soc.property("ranges"));
    int plic = node(tree, "/soc/plic@c000000").u32("phandle");
    FdtNode serial = node(tree, "/soc/serial@10000000");
    assertEquals("ns16550a", serial.string("compatible"));
    assertArrayEquals(new long[] {VirtMemoryMap.UART0_BASE, VirtMemoryMap.UART0_SIZE},
        serial.u64Array("reg"));
    assertEquals(3_686_400, serial.u32("clock-frequency"));
    assertEquals(VirtMemoryMap.UART0_IRQ, serial.u32("interrupts"));
    assertEquals(plic, serial.u32("interrupt-parent"));
    FdtNode test = node(tree, "/soc/test@100000");
    assertEquals(List.of("sifive,test1", "sifive,test0", "syscon"), test.strings("compatible"));
    assertArrayEquals(new long[] {VirtMemoryMap.TEST_BASE, VirtMemoryMap.TEST_SIZE},
        test.u64Array("reg"));
    for (int n = 0; n < 3; n++) {
      long base = VirtMemoryMap.VIRTIO_BASE + n * VirtMemoryMap.VIRTIO_SIZE;
      FdtNode virtio = node(tree, "/soc/virtio_mmio@" + Long.toHexString(base));
      assertEquals("virtio,mmio", virtio.string("compatible"));
      assertArrayEquals(new long[] {base, VirtMemoryMap.VIRTIO_SIZE}, virtio.u64Array("reg"));
      assertEquals(VirtMemoryMap.VIRTIO_IRQ + n, virtio.u32("interrupts"));
      assertEquals(plic, virtio.u32("interrupt-parent"));
    }
    assertNull(tree.node("/soc/virtio_mmio@10004000"));
    FdtNode poweroff = node(tree, "/poweroff");
    assertEquals("syscon-poweroff", poweroff.string("compatible"));
    assertEquals(test, tree.nodeByPhandle(poweroff.u32("regmap")));
    assertEquals(0, poweroff.u32("offset"));
    assertEquals(0x5555, poweroff.u32("value"));
    FdtNode reboot = node(tree, "/reboot");
    assertEquals("syscon-reboot", reboot.string("compatible"));
    assertEquals(test, tree.nodeByPhandle(reboot.u32("regmap")));
    assertEquals(0x7777, reboot.u32("value"));
  }

  @Test
  void noVirtioNodesWithoutTransportsAndNoInitrdWithoutOne() {
    FdtTree tree = FdtReader.read(VirtDeviceTree.build(new VirtDeviceTree.Config(
        1, "rv64g", RAM, 1L << 30, "", null, 0)));
    for (FdtNode child : node(tree, "/soc").children()) {
      assertFalse(child.name().startsWith("virtio_mmio"), child.name());
    }
    FdtNode chosen = node(tree, "/chosen");
    assertFalse(chosen.has("linux,initrd-start"));
    assertFalse(chosen.has("bootargs"));
    assertEquals(List.of("i", "m", "a", "f", "d", "zicsr", "zifencei"),
        node(tree, "/cpus/cpu@0").strings("riscv,isa-extensions"));
  }

  @Test
  void theIsaStringIsWrittenInLowerCase() {
    FdtTree tree = FdtReader.read(VirtDeviceTree.build(new VirtDeviceTree.Config(
        1, "RV64IMAC_Zicsr", RAM, 1L << 30, "", null, 0)));
    FdtNode cpu = node(tree, "/cpus/cpu@0");
    assertEquals("rv64imac_zicsr", cpu.string("riscv,isa"));
    assertEquals(List.of("i", "m", "a", "c", "zicsr"), cpu.strings("riscv,isa-extensions"));
  }

  @Test
  void configIsValidated() {
    assertThrows(IllegalArgumentException.class,
        () -> new VirtDeviceTree.Config(0, "rv64imac", RAM, 1 << 20, "", null, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new VirtDeviceTree.Config(1, "rv32imac", RAM, 1 << 20, "", null, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new VirtDeviceTree.Config(1, "rv64imac_bogus", RAM, 1 << 20, "", null, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new VirtDeviceTree.Config(1, "rv64imxc", RAM, 1 << 20, "", null, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new VirtDeviceTree.Config(1, "rv64imac", RAM, 1 << 20, "", null, 9));
    assertThrows(IllegalArgumentException.class, () -> new VirtDeviceTree.Config(
        1, "rv64imac", RAM, 1 << 20, "", new VirtDeviceTree.Initrd(RAM, RAM + (2 << 20)), 0));
  }

  @Test
  void placementFollowsQemu() {
    // 128 MiB at 2 GiB: the last 2 MiB-aligned address that leaves room for the blob.
    assertEquals(0x87e0_0000L, VirtDeviceTree.placement(RAM, 128L << 20, 4096));
    assertEquals(0x87c0_0000L, VirtDeviceTree.placement(RAM, 128L << 20, (2 << 20) + 1));
    assertEquals(0x87e0_0000L, VirtDeviceTree.placement(RAM, 128L << 20, 2 << 20));
    // RAM reaching past 3 GiB: the blob stays below 3 GiB.
    assertEquals(0xbfe0_0000L, VirtDeviceTree.placement(RAM, 4L << 30, 4096));
    // RAM that starts above 3 GiB: the top of RAM.
    assertEquals(0x1_3fe0_0000L, VirtDeviceTree.placement(0x1_0000_0000L, 1L << 30, 4096));
    // A small RAM at a 2 MiB boundary holds the blob at its base; one off the boundary has no room.
    assertEquals(RAM, VirtDeviceTree.placement(RAM, 1 << 20, 4096));
    assertThrows(IllegalArgumentException.class,
        () -> VirtDeviceTree.placement(RAM + (1 << 20), 1 << 20, 4096));
    assertThrows(IllegalArgumentException.class,
        () -> VirtDeviceTree.placement(RAM, 4L << 20, (4 << 20) + 1));
  }

  @Test
  void theBlobItselfFitsItsPlacement() {
    byte[] blob = VirtDeviceTree.build(new VirtDeviceTree.Config(
        8, "rv64imafdc_zicsr_zifencei", RAM, 128L << 20, "console=ttyS0", null, 8));
    long at = VirtDeviceTree.placement(RAM, 128L << 20, blob.length);
    assertEquals(0, at % (2 << 20));
    assertTrue(at >= RAM && at + blob.length <= RAM + (128L << 20));
  }
}
