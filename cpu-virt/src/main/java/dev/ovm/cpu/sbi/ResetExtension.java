package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;

/**
 * The System Reset extension, EID 0x53525354 "SRST" (SBI spec v2.0 ch. 10): {@code
 * system_reset(reset_type, reset_reason)} with type 0 shutdown, 1 cold reboot, 2 warm reboot and
 * reason 0 none, 1 system failure, or a vendor-specific value (0xF000_0000 and up, types and
 * reasons alike) — vendor-specific types are not supported, vendor-specific reasons are accepted.
 * Other values are reserved: SBI_ERR_INVALID_PARAM. On success the call does not return.
 */
final class ResetExtension implements SbiExtension {
  static final long ID = 0x53525354L;
  private static final long LAST_TYPE = 2;
  private static final long LAST_REASON = 1;
  private static final long VENDOR_FIRST = 0xF000_0000L;

  private final SbiPlatform platform;

  ResetExtension(SbiPlatform platform) {
    this.platform = platform;
  }

  @Override
  public long id() {
    return ID;
  }

  @Override
  public SbiResult call(Hart hart, int function) {
    if (function != 0) {
      return SbiResult.error(Sbi.ERR_NOT_SUPPORTED);
    }
    long type = hart.x(Sbi.Registers.A0) & 0xFFFF_FFFFL; // both arguments are uint32
    long reason = hart.x(Sbi.Registers.A1) & 0xFFFF_FFFFL;
    if (type >= VENDOR_FIRST) {
      return SbiResult.error(Sbi.ERR_NOT_SUPPORTED);
    }
    if (type > LAST_TYPE || (reason > LAST_REASON && reason < VENDOR_FIRST)) {
      return SbiResult.error(Sbi.ERR_INVALID_PARAM);
    }
    platform.systemReset(Math.toIntExact(type), (int) reason); // type <= 2 here
    hart.stop(); // the VM ends; this hart runs no further instruction
    return SbiResult.NO_RETURN;
  }
}
