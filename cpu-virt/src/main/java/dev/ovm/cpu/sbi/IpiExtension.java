package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;
import java.util.List;

/**
 * The IPI extension, EID 0x735049 "sPI" (SBI spec v2.0 ch. 7): {@code send_ipi(hart_mask,
 * hart_mask_base)} sets SSIP on every named hart, which wakes a hart waiting with SSIE set.
 */
final class IpiExtension implements SbiExtension {
  static final long ID = 0x735049;

  private final List<Hart> harts;

  IpiExtension(List<Hart> harts) {
    this.harts = harts;
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
    List<Hart> targets = HartMask.select(harts, hart.x(Sbi.Registers.A0), hart.x(Sbi.Registers.A1));
    if (targets == null) {
      return SbiResult.error(Sbi.ERR_INVALID_PARAM);
    }
    for (Hart target : targets) {
      target.postSupervisorSoftwareInterrupt();
    }
    return SbiResult.SUCCESS;
  }
}
