package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;
import dev.ovm.vmm.memory.GuestMemory;
import java.util.List;

/**
 * The Hart State Management extension, EID 0x48534D "HSM" (SBI spec v2.0 ch. 9). Secondary harts
 * begin stopped and are not scheduled until {@code hart_start} (FID 0) names them; they then enter
 * S-mode at {@code start_addr} with {@code a0} = hart id, {@code a1} = {@code opaque}, satp = Bare
 * and SIE = 0. {@code hart_stop} (1) stops the calling hart, {@code hart_get_status} (2) reads a
 * hart's state, {@code hart_suspend} (3) implements the two default suspend types (retentive 0x0,
 * non-retentive 0x8000_0000) as a wait for an interrupt.
 */
final class HsmExtension implements SbiExtension {
  static final long ID = 0x48534D;
  private static final long SUSPEND_RETENTIVE = 0;
  private static final long SUSPEND_NON_RETENTIVE = 0x8000_0000L;
  /** Platform-specific suspend types (SBI spec v2.0 ch. 9.4), which this platform has none of. */
  private static final long PLATFORM_RETENTIVE_FIRST = 0x1000_0000L;
  private static final long PLATFORM_NON_RETENTIVE_FIRST = 0x9000_0000L;

  private final List<Hart> harts;
  private final GuestMemory memory;

  HsmExtension(List<Hart> harts, GuestMemory memory) {
    this.harts = harts;
    this.memory = memory;
  }

  @Override
  public long id() {
    return ID;
  }

  @Override
  public SbiResult call(Hart hart, int function) {
    long a0 = hart.x(Sbi.Registers.A0);
    long a1 = hart.x(Sbi.Registers.A1);
    long a2 = hart.x(Sbi.Registers.A2);
    return switch (function) {
      case 0 -> start(a0, a1, a2);
      case 1 -> {
        hart.stop(); // 9.2: does not return on success
        yield SbiResult.NO_RETURN;
      }
      case 2 -> a0 < 0 || a0 >= harts.size()
          ? SbiResult.error(Sbi.ERR_INVALID_PARAM)
          : SbiResult.value(harts.get((int) a0).hsmState());
      case 3 -> suspend(hart, a0 & 0xFFFF_FFFFL, a1, a2);
      default -> SbiResult.error(Sbi.ERR_NOT_SUPPORTED);
    };
  }

  /** 9.1 hart_start. */
  private SbiResult start(long hartId, long address, long opaque) {
    if (hartId < 0 || hartId >= harts.size()) {
      return SbiResult.error(Sbi.ERR_INVALID_PARAM);
    }
    if (!memory.contains(address, 4)) {
      return SbiResult.error(Sbi.ERR_INVALID_ADDRESS);
    }
    return harts.get((int) hartId).requestStart(address, opaque)
        ? SbiResult.SUCCESS
        : SbiResult.error(Sbi.ERR_ALREADY_AVAILABLE);
  }

  /** 9.4 hart_suspend: suspend_type is 32 bits wide. */
  private SbiResult suspend(Hart hart, long type, long resumeAddress, long opaque) {
    if (type == SUSPEND_RETENTIVE) {
      hart.suspend(true, 0, 0);
      return SbiResult.SUCCESS;
    }
    if (type == SUSPEND_NON_RETENTIVE) {
      if (!memory.contains(resumeAddress, 4)) {
        return SbiResult.error(Sbi.ERR_INVALID_ADDRESS);
      }
      hart.suspend(false, resumeAddress, opaque);
      return SbiResult.NO_RETURN; // resumes at resumeAddress with a0 = hart id, a1 = opaque
    }
    boolean platformSpecific = (type >= PLATFORM_RETENTIVE_FIRST && type < SUSPEND_NON_RETENTIVE)
        || type >= PLATFORM_NON_RETENTIVE_FIRST;
    return SbiResult.error(platformSpecific ? Sbi.ERR_NOT_SUPPORTED : Sbi.ERR_INVALID_PARAM);
  }
}
