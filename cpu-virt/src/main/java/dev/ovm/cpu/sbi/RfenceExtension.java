package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;
import java.util.List;

/**
 * The RFENCE extension, EID 0x52464E43 "RFNC" (SBI spec v2.0 ch. 8): {@code remote_fence_i} (FID
 * 0), {@code remote_sfence_vma} (1) and {@code remote_sfence_vma_asid} (2) on the harts of a hart
 * mask. Each is done as a flush of the whole TLB and fetch page of every named hart — a superset
 * of what the range or ASID asks for, which the spec allows — and the call returns only once no
 * named hart can use a stale translation ({@link Hart#flushTlbFrom}). The hypervisor fences (FIDs
 * 3–6) need the H extension and are not supported.
 */
final class RfenceExtension implements SbiExtension {
  static final long ID = 0x52464E43L;

  private final List<Hart> harts;

  RfenceExtension(List<Hart> harts) {
    this.harts = harts;
  }

  @Override
  public long id() {
    return ID;
  }

  @Override
  public SbiResult call(Hart hart, int function) {
    if (function < 0 || function > 2) {
      return SbiResult.error(Sbi.ERR_NOT_SUPPORTED);
    }
    List<Hart> targets = HartMask.select(harts, hart.x(Sbi.Registers.A0), hart.x(Sbi.Registers.A1));
    if (targets == null) {
      return SbiResult.error(Sbi.ERR_INVALID_PARAM);
    }
    for (Hart target : targets) {
      target.flushTlbFrom(hart);
    }
    return SbiResult.SUCCESS;
  }
}
