package dev.ovm.cpu.sbi;

import dev.ovm.cpu.Hart;
import java.util.ArrayList;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A hart mask as SBI functions take it (SBI spec v2.0 ch. 3.1): bit i of {@code hart_mask} names
 * hart {@code hart_mask_base + i}; {@code hart_mask_base} = -1 names every hart.
 */
final class HartMask {
  private HartMask() {}

  /**
   * The harts named by {@code mask} and {@code base}, or null if the mask names a hart that does
   * not exist (SBI_ERR_INVALID_PARAM).
   */
  static @Nullable List<Hart> select(List<Hart> harts, long mask, long base) {
    if (base == -1) {
      return harts;
    }
    List<Hart> selected = new ArrayList<>();
    for (int bit = 0; bit < Long.SIZE; bit++) {
      if (((mask >> bit) & 1) == 0) {
        continue;
      }
      long id = base + bit;
      if (base < 0 || id < 0 || id >= harts.size()) {
        return null;
      }
      selected.add(harts.get((int) id));
    }
    return selected;
  }
}
