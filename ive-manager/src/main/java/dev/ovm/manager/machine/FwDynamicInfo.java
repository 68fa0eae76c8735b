package dev.ovm.manager.machine;

import dev.ovm.memory.GuestRam;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes the {@code fw_dynamic_info} block that OpenSBI's fw_dynamic firmware reads through
 * {@code a2} (OpenSBI {@code include/sbi/fw_dynamic.h}, version 2): magic "OSBI", version, the
 * next stage's address and mode (S), options, and the preferred boot hart (-1: any).
 */
final class FwDynamicInfo {
  private static final long MAGIC = 0x4942534fL;
  private static final long VERSION = 2;
  private static final long NEXT_MODE_S = 1;
  private static final int SIZE = 6 * 8;

  private FwDynamicInfo() {}

  /**
   * Writes the block just below the device tree at {@code dtb} and returns its address.
   *
   * @throws dev.ovm.manager.cli.UserError if that space is taken by an image
   */
  static long write(GuestRam ram, long dtb, BootImages images) {
    long address = dtb - 64;
    images.checkFree(address, SIZE, "the fw_dynamic_info block");
    ByteBuffer block = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    block.putLong(MAGIC).putLong(VERSION).putLong(images.nextStageEntry()).putLong(NEXT_MODE_S);
    block.putLong(0).putLong(-1L);
    ram.write(address, block.array(), 0, SIZE);
    return address;
  }
}
