package dev.ovm.io.board;

/**
 * The physical memory map and interrupt numbers of QEMU's {@code virt} machine (hw/riscv/virt.c),
 * which ovm reproduces so that firmware and kernels built for that board run unchanged. Every
 * address and IRQ number of the board is defined here and nowhere else.
 */
public final class VirtMemoryMap {
  private VirtMemoryMap() {}

  /** SiFive test finisher ("sifive,test0"): pass/fail/reset. */
  public static final long TEST_BASE = 0x0010_0000L;
  /** Size of the test finisher window. */
  public static final long TEST_SIZE = 0x1000L;

  /** CLINT / ACLINT (MSWI + MTIMER), "riscv,clint0". */
  public static final long CLINT_BASE = 0x0200_0000L;
  /** Size of the CLINT window. */
  public static final long CLINT_SIZE = 0x1_0000L;

  /** PLIC, "sifive,plic-1.0.0" / "riscv,plic0". */
  public static final long PLIC_BASE = 0x0c00_0000L;
  /** Size of the PLIC window (QEMU: 0x600000, enough for the contexts of up to 8 harts... and more). */
  public static final long PLIC_SIZE = 0x60_0000L;
  /** Number of PLIC interrupt sources, excluding source 0 (QEMU virt: VIRT_IRQCHIP_NUM_SOURCES - 1). */
  public static final int PLIC_SOURCES = 95;

  /** ns16550a UART. */
  public static final long UART0_BASE = 0x1000_0000L;
  /** Size of the UART window. */
  public static final long UART0_SIZE = 0x100L;
  /** PLIC source of the UART. */
  public static final int UART0_IRQ = 10;

  /** First virtio-mmio transport; transport n is at VIRTIO_BASE + n * VIRTIO_SIZE. */
  public static final long VIRTIO_BASE = 0x1000_1000L;
  /** Size of one virtio-mmio window. */
  public static final long VIRTIO_SIZE = 0x1000L;
  /** Number of virtio-mmio transports. */
  public static final int VIRTIO_COUNT = 8;
  /** PLIC source of virtio-mmio transport 0; transport n uses VIRTIO_IRQ + n. */
  public static final int VIRTIO_IRQ = 1;

  /** Start of RAM. */
  public static final long DRAM_BASE = 0x8000_0000L;
  /** Where the kernel goes when firmware occupies the start of RAM ({@code -bios}). */
  public static final long KERNEL_WITH_FIRMWARE_BASE = 0x8020_0000L;
}
