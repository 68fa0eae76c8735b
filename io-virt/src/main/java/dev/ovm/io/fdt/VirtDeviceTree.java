package dev.ovm.io.fdt;

import dev.ovm.io.board.VirtMemoryMap;
import java.util.List;
import java.util.Locale;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Generates the devicetree blob that describes the ovm {@code virt} board to firmware and kernels:
 * the same node layout as QEMU's {@code virt} machine (hw/riscv/virt.c) without the devices ovm
 * does not model (PCIe, flash, fw_cfg, RTC, PMU). Every address, size and interrupt number comes
 * from {@link VirtMemoryMap}.
 *
 * <p>Layout: {@code /chosen}, {@code /memory@...}, {@code /cpus} (one {@code cpu@N} per hart with
 * its {@code riscv,cpu-intc} child, and {@code cpu-map/cluster0/coreN}), {@code /soc} (CLINT,
 * PLIC, UART, test finisher, virtio-mmio transports), {@code /poweroff} and {@code /reboot}.
 * Phandles are assigned in that order: per hart the cpu then its interrupt controller, then the
 * PLIC, then the test finisher.
 */
public final class VirtDeviceTree {
  private VirtDeviceTree() {}

  /** Frequency of {@code mtime} in Hz (QEMU's RISCV_ACLINT_DEFAULT_TIMEBASE_FREQ). */
  public static final int TIMEBASE_FREQUENCY = 10_000_000;
  /** Input clock of the ns16550a UART in Hz, as QEMU's virt board reports it. */
  public static final int UART_CLOCK_FREQUENCY = 3_686_400;
  /** Value written to the test finisher to power off (sifive,test0 FINISHER_PASS). */
  public static final int POWEROFF_VALUE = 0x5555;
  /** Value written to the test finisher to reboot (sifive,test0 FINISHER_RESET). */
  public static final int REBOOT_VALUE = 0x7777;
  /** Largest number of harts: the PLIC window holds 2 contexts per hart. */
  public static final int MAX_HARTS = 512;

  /* Local interrupt numbers on the hart's controller (Priv spec 3.1.9, mip/mie bits). */
  private static final int IRQ_S_EXT = 9;
  private static final int IRQ_M_SOFT = 3;
  private static final int IRQ_M_TIMER = 7;
  private static final int IRQ_M_EXT = 11;

  private static final long TWO_MIB = 2L << 20;
  private static final long THREE_GIB = 3L << 30;

  /**
   * An initial RAM disk already placed in guest RAM.
   *
   * @param start guest-physical address of its first byte
   * @param end guest-physical address one past its last byte
   */
  public record Initrd(long start, long end) {
    /** @throws IllegalArgumentException if {@code end < start} or start is negative */
    public Initrd {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException(
            String.format("bad initrd range 0x%x-0x%x", start, end));
      }
    }
  }

  /**
   * What the blob describes.
   *
   * @param harts number of harts, 1 to {@link #MAX_HARTS}; hart IDs are 0 to harts-1
   * @param isa the ISA string of every hart, e.g. {@code "rv64imac_zicsr_zifencei"}
   * @param ramBase guest-physical address of RAM
   * @param ramSize size of RAM in bytes
   * @param bootargs the kernel command line; not written when empty
   * @param initrd the initial RAM disk, or null for none
   * @param virtioTransports number of virtio-mmio transports, 0 to {@link VirtMemoryMap#VIRTIO_COUNT}
   */
  public record Config(
      int harts,
      String isa,
      long ramBase,
      long ramSize,
      String bootargs,
      @Nullable Initrd initrd,
      int virtioTransports) {
    /** @throws IllegalArgumentException if a field is out of range or the ISA string malformed */
    public Config {
      if (harts < 1 || harts > MAX_HARTS) {
        throw new IllegalArgumentException("harts must be 1 to " + MAX_HARTS + ": " + harts);
      }
      IsaString.extensions(isa);
      if (ramBase < 0 || ramSize <= 0 || ramSize > Long.MAX_VALUE - ramBase) {
        throw new IllegalArgumentException(
            String.format("bad RAM range 0x%x+0x%x", ramBase, ramSize));
      }
      if (initrd != null
          && (initrd.start() < ramBase || initrd.end() > ramBase + ramSize)) {
        throw new IllegalArgumentException(String.format(
            "initrd 0x%x-0x%x is not inside RAM", initrd.start(), initrd.end()));
      }
      if (virtioTransports < 0 || virtioTransports > VirtMemoryMap.VIRTIO_COUNT) {
        throw new IllegalArgumentException(
            "virtio transports must be 0 to " + VirtMemoryMap.VIRTIO_COUNT + ": "
                + virtioTransports);
      }
    }
  }

  /** Phandles of the nodes that others refer to. */
  private record Phandles(int[] cpu, int[] intc, int plic, int test) {}

  /** The blob describing the board {@code config} names. */
  public static byte[] build(Config config) {
    FdtBuilder fdt = new FdtBuilder(0);
    int harts = config.harts();
    if (harts < 1) {
      throw new IllegalArgumentException("no harts"); // Config's constructor already refuses this
    }
    int[] cpu = new int[harts];
    int[] intc = new int[harts];
    for (int hart = 0; hart < cpu.length && hart < intc.length; hart++) {
      cpu[hart] = fdt.allocatePhandle();
      intc[hart] = fdt.allocatePhandle();
    }
    Phandles phandles = new Phandles(cpu, intc, fdt.allocatePhandle(), fdt.allocatePhandle());

    fdt.beginNode("")
        .propertyU32("#address-cells", 2)
        .propertyU32("#size-cells", 2)
        .propertyString("compatible", "riscv-virtio")
        .propertyString("model", "riscv-virtio,qemu");
    chosen(fdt, config);
    memory(fdt, config);
    cpus(fdt, config, phandles);
    soc(fdt, config, phandles);
    SocNodes.poweroffAndReboot(fdt, phandles.test());
    fdt.endNode();
    return fdt.finish();
  }

  private static void chosen(FdtBuilder fdt, Config config) {
    fdt.beginNode("chosen");
    if (!config.bootargs().isEmpty()) {
      fdt.propertyString("bootargs", config.bootargs());
    }
    fdt.propertyString("stdout-path", SocNodes.unitName("/soc/serial", VirtMemoryMap.UART0_BASE));
    Initrd initrd = config.initrd();
    if (initrd != null) {
      // Linux reads these with the root's #address-cells, so they are 64-bit here.
      fdt.propertyU64("linux,initrd-start", initrd.start());
      fdt.propertyU64("linux,initrd-end", initrd.end());
    }
    fdt.endNode();
  }

  private static void memory(FdtBuilder fdt, Config config) {
    fdt.beginNode(SocNodes.unitName("memory", config.ramBase()))
        .propertyString("device_type", "memory")
        .propertyU64("reg", config.ramBase(), config.ramSize())
        .endNode();
  }

  private static void cpus(FdtBuilder fdt, Config config, Phandles phandles) {
    List<String> extensions = IsaString.extensions(config.isa());
    String[] extensionArray = extensions.toArray(new String[0]);
    fdt.beginNode("cpus")
        .propertyU32("#address-cells", 1)
        .propertyU32("#size-cells", 0)
        .propertyU32("timebase-frequency", TIMEBASE_FREQUENCY);
    for (int hart = 0; hart < phandles.cpu().length && hart < phandles.intc().length; hart++) {
      fdt.beginNode("cpu@" + Integer.toHexString(hart))
          .propertyString("device_type", "cpu")
          .propertyU32("reg", hart)
          .propertyString("status", "okay")
          .propertyString("compatible", "riscv")
          .propertyString("riscv,isa", config.isa().toLowerCase(Locale.ROOT))
          .propertyString("riscv,isa-base", IsaString.BASE)
          .propertyStrings("riscv,isa-extensions", extensionArray)
          .propertyString("mmu-type", "riscv,sv39")
          .propertyU32("phandle", phandles.cpu()[hart]);
      fdt.beginNode("interrupt-controller")
          .propertyU32("#interrupt-cells", 1)
          .propertyEmpty("interrupt-controller")
          .propertyString("compatible", "riscv,cpu-intc")
          .propertyU32("phandle", phandles.intc()[hart])
          .endNode();
      fdt.endNode();
    }
    fdt.beginNode("cpu-map").beginNode("cluster0");
    for (int hart = 0; hart < phandles.cpu().length; hart++) {
      fdt.beginNode("core" + hart).propertyU32("cpu", phandles.cpu()[hart]).endNode();
    }
    fdt.endNode().endNode();
    fdt.endNode();
  }

  private static void soc(FdtBuilder fdt, Config config, Phandles phandles) {
    int[] clintCells = new int[phandles.intc().length * 4];
    int[] plicCells = new int[phandles.intc().length * 4];
    for (int hart = 0; hart < phandles.intc().length; hart++) {
      int intc = phandles.intc()[hart];
      // DT spec 2.4.1.3 interrupts-extended: <phandle cause> pairs, one per target.
      SocNodes.putPair(clintCells, hart, intc, IRQ_M_SOFT, IRQ_M_TIMER);
      SocNodes.putPair(plicCells, hart, intc, IRQ_M_EXT, IRQ_S_EXT);
    }
    fdt.beginNode("soc")
        .propertyU32("#address-cells", 2)
        .propertyU32("#size-cells", 2)
        .propertyString("compatible", "simple-bus")
        .propertyEmpty("ranges");
    SocNodes.test(fdt, phandles.test());
    SocNodes.clint(fdt, clintCells);
    SocNodes.plic(fdt, plicCells, phandles.plic());
    SocNodes.serial(fdt, phandles.plic());
    for (int transport = 0; transport < config.virtioTransports(); transport++) {
      SocNodes.virtio(fdt, transport, phandles.plic());
    }
    fdt.endNode();
  }

  /**
   * Where the blob goes in RAM, following QEMU's riscv_compute_fdt_addr (hw/riscv/boot.c) as it
   * stood before RV64 boards moved it to the very top of RAM: as high as possible, so that a
   * kernel or initrd loaded low does not overwrite it, but below 3 GiB when RAM starts below 3 GiB
   * (so 32-bit code can address it), aligned down to 2 MiB.
   *
   * @param ramBase guest-physical address of RAM
   * @param ramSize size of RAM in bytes
   * @param dtbSize size of the blob in bytes
   * @return the guest-physical address of the blob, 2 MiB-aligned, with the whole blob inside RAM
   * @throws IllegalArgumentException if the blob does not fit in RAM at such an address
   */
  public static long placement(long ramBase, long ramSize, int dtbSize) {
    if (ramBase < 0 || ramSize <= 0 || ramSize > Long.MAX_VALUE - ramBase || dtbSize <= 0) {
      throw new IllegalArgumentException(String.format(
          "bad arguments: RAM 0x%x+0x%x, device tree %d bytes", ramBase, ramSize, dtbSize));
    }
    long ramEnd = ramBase + ramSize;
    long top = ramBase < THREE_GIB ? Math.min(ramEnd, THREE_GIB) : ramEnd;
    long address = Math.floorDiv(top - dtbSize, TWO_MIB) * TWO_MIB;
    if (address < ramBase) {
      throw new IllegalArgumentException(String.format(
          "no 2 MiB-aligned place for a %d-byte device tree in RAM 0x%x-0x%x",
          dtbSize, ramBase, ramEnd - 1));
    }
    return address;
  }
}
