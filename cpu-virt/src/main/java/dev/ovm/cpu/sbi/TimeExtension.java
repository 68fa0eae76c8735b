package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;

/**
 * The Timer extension, EID 0x54494D45 "TIME" (SBI spec v2.0 ch. 6): {@code set_timer(stime_value)}
 * programs the calling hart's supervisor timer, which raises STIP once {@code time} reaches it and
 * clears a pending STIP meanwhile. (A guest given Sstc writes stimecmp itself and never calls it.)
 */
final class TimeExtension implements SbiExtension {
  static final long ID = 0x54494D45L;

  @Override
  public long id() {
    return ID;
  }

  @Override
  public SbiResult call(Hart hart, int function) {
    if (function != 0) {
      return SbiResult.error(Sbi.ERR_NOT_SUPPORTED);
    }
    hart.setTimer(hart.x(Sbi.Registers.A0));
    return SbiResult.SUCCESS;
  }
}
