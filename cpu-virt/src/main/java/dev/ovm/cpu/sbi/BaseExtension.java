package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;
import java.util.function.LongPredicate;

/**
 * The Base extension, EID 0x10 (SBI spec v2.0 ch. 4): versions, implementation, probing, and the
 * machine id CSRs (all 0 on this hart: no vendor, architecture or implementation id).
 */
final class BaseExtension implements SbiExtension {
  static final long ID = 0x10;

  private final LongPredicate supported;

  BaseExtension(LongPredicate supported) {
    this.supported = supported;
  }

  @Override
  public long id() {
    return ID;
  }

  @Override
  public SbiResult call(Hart hart, int function) {
    return switch (function) {
      case 0 -> SbiResult.value(Sbi.SPEC_VERSION); // 4.1 get_spec_version
      case 1 -> SbiResult.value(Sbi.IMPLEMENTATION_ID); // 4.2 get_impl_id
      case 2 -> SbiResult.value(Sbi.IMPLEMENTATION_VERSION); // 4.3 get_impl_version
      case 3 -> SbiResult.value(supported.test(hart.x(Sbi.Registers.A0)) ? 1 : 0); // 4.4 probe
      case 4, 5, 6 -> SbiResult.value(0); // 4.5-4.7 mvendorid, marchid, mimpid
      default -> SbiResult.error(Sbi.ERR_NOT_SUPPORTED);
    };
  }
}
