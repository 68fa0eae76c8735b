package dev.ovm.io.fdt;

/**
 * Constants of the flattened devicetree format (Devicetree Specification v0.4, chapter 5), shared
 * by {@link FdtBuilder} and {@link FdtReader}. All multi-byte values in a blob are big-endian.
 */
final class FdtFormat {
  private FdtFormat() {}

  /** Header magic (DT spec 5.2). */
  static final int MAGIC = 0xd00dfeed;
  /** Version this package writes (DT spec 5.2: "version 17"). */
  static final int VERSION = 17;
  /** Lowest version a version-17 blob is backwards compatible with (DT spec 5.2). */
  static final int LAST_COMPATIBLE_VERSION = 16;
  /** Size of the version-17 header: ten 32-bit fields (DT spec 5.2). */
  static final int HEADER_SIZE = 40;
  /** Size of one memory reservation entry: two 64-bit fields (DT spec 5.3.2). */
  static final int RESERVATION_ENTRY_SIZE = 16;

  /** Structure block tokens (DT spec 5.4.1). */
  static final int FDT_BEGIN_NODE = 0x1;

  static final int FDT_END_NODE = 0x2;
  static final int FDT_PROP = 0x3;
  static final int FDT_NOP = 0x4;
  static final int FDT_END = 0x9;

  /** Longest node or property name the spec allows, not counting a unit address (DT spec 2.2.1). */
  static final int MAX_NAME_LENGTH = 31;

  /** Rounds {@code value} up to a multiple of 4 (DT spec 5.4.1: tokens are 32-bit aligned). */
  static int align4(int value) {
    return (value + 3) & ~3;
  }
}
