package dev.ovm.io.fdt;

import dev.ovm.io.board.VirtMemoryMap;

/**
 * The device nodes of the virt board's {@code /soc} bus and the root-level syscon power nodes, one
 * method per device, written with the values of {@link VirtMemoryMap}. Every {@code reg} is two
 * 64-bit cells, address then size, as the bus's {@code #address-cells = #size-cells = 2} requires.
 */
final class SocNodes {
  private SocNodes() {}

  /** {@code prefix@address} with the address in lower-case hex, as DT spec 2.2.1 unit names. */
  static String unitName(String prefix, long address) {
    return prefix + "@" + Long.toHexString(address);
  }

  /** Stores {@code <intc first intc second>} for {@code hart} at cells[hart*4 ...]. */
  static void putPair(int[] cells, int hart, int intc, int first, int second) {
    int at = hart * 4;
    if (at < 0 || at > cells.length - 4) {
      throw new IllegalArgumentException("hart " + hart + " outside the cell array");
    }
    cells[at] = intc;
    cells[at + 1] = first;
    cells[at + 2] = intc;
    cells[at + 3] = second;
  }

  /** SiFive test finisher, also a syscon for the poweroff and reboot nodes. */
  static void test(FdtBuilder fdt, int phandle) {
    fdt.beginNode(unitName("test", VirtMemoryMap.TEST_BASE))
        .propertyStrings("compatible", "sifive,test1", "sifive,test0", "syscon")
        .propertyU64("reg", VirtMemoryMap.TEST_BASE, VirtMemoryMap.TEST_SIZE)
        .propertyU32("phandle", phandle)
        .endNode();
  }

  /** CLINT: machine software (3) and timer (7) interrupts of every hart. */
  static void clint(FdtBuilder fdt, int[] interruptsExtended) {
    fdt.beginNode(unitName("clint", VirtMemoryMap.CLINT_BASE))
        .propertyStrings("compatible", "sifive,clint0", "riscv,clint0")
        .propertyU64("reg", VirtMemoryMap.CLINT_BASE, VirtMemoryMap.CLINT_SIZE)
        .propertyU32("interrupts-extended", interruptsExtended)
        .endNode();
  }

  /** PLIC: machine (11) and supervisor (9) external interrupt contexts of every hart. */
  static void plic(FdtBuilder fdt, int[] interruptsExtended, int phandle) {
    fdt.beginNode(unitName("plic", VirtMemoryMap.PLIC_BASE))
        .propertyU32("#interrupt-cells", 1)
        .propertyU32("#address-cells", 0)
        .propertyStrings("compatible", "sifive,plic-1.0.0", "riscv,plic0")
        .propertyEmpty("interrupt-controller")
        .propertyU32("interrupts-extended", interruptsExtended)
        .propertyU64("reg", VirtMemoryMap.PLIC_BASE, VirtMemoryMap.PLIC_SIZE)
        .propertyU32("riscv,ndev", VirtMemoryMap.PLIC_SOURCES)
        .propertyU32("phandle", phandle)
        .endNode();
  }

  /** The ns16550a UART on PLIC source {@link VirtMemoryMap#UART0_IRQ}. */
  static void serial(FdtBuilder fdt, int plic) {
    fdt.beginNode(unitName("serial", VirtMemoryMap.UART0_BASE))
        .propertyString("compatible", "ns16550a")
        .propertyU64("reg", VirtMemoryMap.UART0_BASE, VirtMemoryMap.UART0_SIZE)
        .propertyU32("clock-frequency", VirtDeviceTree.UART_CLOCK_FREQUENCY)
        .propertyU32("interrupt-parent", plic)
        .propertyU32("interrupts", VirtMemoryMap.UART0_IRQ)
        .endNode();
  }

  /** virtio-mmio transport {@code n} on PLIC source {@code VIRTIO_IRQ + n}. */
  static void virtio(FdtBuilder fdt, int n, int plic) {
    long base = VirtMemoryMap.VIRTIO_BASE + n * VirtMemoryMap.VIRTIO_SIZE;
    fdt.beginNode(unitName("virtio_mmio", base))
        .propertyString("compatible", "virtio,mmio")
        .propertyU64("reg", base, VirtMemoryMap.VIRTIO_SIZE)
        .propertyU32("interrupt-parent", plic)
        .propertyU32("interrupts", VirtMemoryMap.VIRTIO_IRQ + n)
        .endNode();
  }

  /** syscon-poweroff and syscon-reboot, both writing the test finisher (QEMU puts them at /). */
  static void poweroffAndReboot(FdtBuilder fdt, int test) {
    fdt.beginNode("poweroff")
        .propertyString("compatible", "syscon-poweroff")
        .propertyU32("regmap", test)
        .propertyU32("offset", 0)
        .propertyU32("value", VirtDeviceTree.POWEROFF_VALUE)
        .endNode();
    fdt.beginNode("reboot")
        .propertyString("compatible", "syscon-reboot")
        .propertyU32("regmap", test)
        .propertyU32("offset", 0)
        .propertyU32("value", VirtDeviceTree.REBOOT_VALUE)
        .endNode();
  }
}
