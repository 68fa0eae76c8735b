package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;
import java.util.List;
import java.util.OptionalLong;

/**
 * The legacy extensions of SBI v0.1 (SBI spec v2.0 ch. 5): {@code set_timer} (EID 0x00), {@code
 * console_putchar} (0x01), {@code console_getchar} (0x02, -1 when nothing was typed), {@code
 * clear_ipi} (0x03), {@code send_ipi} (0x04), {@code remote_fence_i} (0x05), {@code
 * remote_sfence_vma} (0x06), {@code remote_sfence_vma_asid} (0x07) and {@code shutdown} (0x08).
 * Their result goes to {@code a0} alone. The hart mask of 0x04–0x07 is a pointer to a doubleword
 * in the caller's virtual memory (harts 0–63); a null pointer names every hart (as OpenSBI reads
 * it) and one that cannot be read gives SBI_ERR_INVALID_ADDRESS. The fences are done as the
 * RFENCE extension does them.
 */
final class LegacyExtensions implements SbiExtension {
  static final long[] IDS = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
  private static final long LAST_LEGACY = 0x0F;

  private final SbiPlatform platform;
  private final List<Hart> harts;

  LegacyExtensions(SbiPlatform platform) {
    this.platform = platform;
    this.harts = platform.harts();
  }

  /** True if {@code id} is in the legacy range 0x00–0x0F, whose result convention differs. */
  static boolean isLegacy(long id) {
    return id >= 0 && id <= LAST_LEGACY;
  }

  /** {@inheritDoc} The first of {@link #IDS}; {@link Sbi} registers the instance under each. */
  @Override
  public long id() {
    return 0x00;
  }

  /** {@inheritDoc} The legacy extension id ({@code a7}) selects the function. */
  @Override
  public SbiResult call(Hart hart, int function) {
    long a0 = hart.x(Sbi.Registers.A0);
    return switch ((int) hart.x(Sbi.Registers.A7)) {
      case 0x00 -> {
        hart.setTimer(a0);
        yield SbiResult.SUCCESS;
      }
      case 0x01 -> {
        platform.consoleWrite(new byte[] {(byte) a0}, 1);
        yield SbiResult.SUCCESS;
      }
      case 0x02 -> SbiResult.value(platform.consoleRead());
      case 0x03 -> {
        hart.clearSupervisorSoftwareInterrupt();
        yield SbiResult.SUCCESS;
      }
      case 0x04, 0x05, 0x06, 0x07 -> toMaskedHarts(hart, a0, (int) hart.x(Sbi.Registers.A7));
      case 0x08 -> {
        platform.systemReset(0, 0);
        hart.stop();
        yield SbiResult.NO_RETURN;
      }
      default -> SbiResult.value(Sbi.ERR_NOT_SUPPORTED);
    };
  }

  /** send_ipi (0x04) or a remote fence (0x05–0x07) on the harts the mask at {@code pointer} names. */
  private SbiResult toMaskedHarts(Hart hart, long pointer, int id) {
    List<Hart> targets;
    if (pointer == 0) {
      targets = harts;
    } else {
      OptionalLong mask = hart.loadDoubleword(pointer);
      if (mask.isEmpty()) {
        return SbiResult.value(Sbi.ERR_INVALID_ADDRESS);
      }
      targets = HartMask.select(harts, mask.getAsLong(), 0);
      if (targets == null) {
        return SbiResult.value(Sbi.ERR_INVALID_PARAM);
      }
    }
    for (Hart target : targets) {
      if (id == 0x04) {
        target.postSupervisorSoftwareInterrupt();
      } else {
        target.flushTlbFrom(hart);
      }
    }
    return SbiResult.SUCCESS;
  }
}
