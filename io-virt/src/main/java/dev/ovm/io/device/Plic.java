package dev.ovm.io.device;

import dev.ovm.io.board.VirtMemoryMap;
import dev.ovm.vmm.device.DeviceAccessFault;
import dev.ovm.vmm.device.IrqLine;
import dev.ovm.vmm.device.MmioDevice;
import java.util.List;
import org.checkerframework.checker.index.qual.NonNegative;
import org.checkerframework.checker.lock.qual.GuardedBy;
import org.checkerframework.checker.lock.qual.Holding;

/**
 * The SiFive platform-level interrupt controller as QEMU's {@code virt} board configures it
 * ("sifive,plic-1.0.0"): sources 1..{@link VirtMemoryMap#PLIC_SOURCES} (source 0 does not exist),
 * 3-bit priorities, and two contexts per hart: context {@code 2h} is hart {@code h} in M-mode and
 * drives its {@code MEIP}, context {@code 2h + 1} is S-mode and drives {@code SEIP}.
 *
 * <p>Register map (RISC-V PLIC spec 1.0.0, chapter "Memory Map"), all 32-bit: priority of source
 * {@code s} at {@code 4s}; pending bits at {@code 0x1000}; enable bits of context {@code c} at
 * {@code 0x2000 + 0x80c}; threshold at {@code 0x200000 + 0x1000c}; claim/complete at {@code
 * 0x200004 + 0x1000c}. Accesses other than aligned 4-byte ones raise {@link DeviceAccessFault}
 * (QEMU allows only 4-byte accesses to the PLIC). Registers of absent sources and contexts read 0
 * and ignore writes; the pending array is read-only.
 *
 * <p>Gateways are level-triggered (PLIC spec "Interrupt Gateways"): while a source is not claimed
 * its pending bit follows its line, as in QEMU (a line dropped before the claim withdraws the
 * request); a claimed source cannot become pending again until its claimant completes it, and a
 * completion of a source whose line is still asserted makes it pending again at once. A
 * completion naming a source that the context has not claimed is ignored.
 *
 * <p>Claim (PLIC spec "Interrupt Claim Process") returns the pending source enabled for the
 * context with the highest priority strictly above the context's threshold, the lowest ID among
 * equals, and clears its pending bit; it returns 0 if there is none. Every output line is
 * recomputed after every change of state.
 *
 * <p>Thread safety and lock order: one lock per PLIC ({@code lock}). Device threads call the
 * source lines and harts access registers concurrently; both take {@code lock}. While holding it
 * the PLIC calls only the hart output lines, which must be leaves (take no lock that is held while
 * calling into the PLIC). Devices may call their source line while holding their own lock: the
 * order is <em>device lock, then PLIC lock, then hart line</em>. The PLIC never calls a device.
 */
public final class Plic implements MmioDevice {
  /** Offset of the priority registers, one word per source. */
  public static final long PRIORITY_BASE = 0x0L;
  /** Offset of the pending bit array. */
  public static final long PENDING_BASE = 0x1000L;
  /** Offset of context 0's enable bit array. */
  public static final long ENABLE_BASE = 0x2000L;
  /** Distance between two contexts' enable arrays. */
  public static final long ENABLE_STRIDE = 0x80L;
  /** Offset of context 0's threshold register. */
  public static final long CONTEXT_BASE = 0x20_0000L;
  /** Distance between two contexts' threshold registers. */
  public static final long CONTEXT_STRIDE = 0x1000L;
  /** Offset of the claim/complete register inside a context's block. */
  public static final long CLAIM_OFFSET = 0x4L;
  /** Mask of the implemented priority and threshold bits (QEMU virt: 7 priority levels). */
  public static final int PRIORITY_MASK = 7;

  /** Number of 32-bit words in a bit array covering sources 0..PLIC_SOURCES. */
  private static final int WORDS = (VirtMemoryMap.PLIC_SOURCES + 32) / 32;

  /** The mutable state; guarded by {@code lock}. */
  private static final class State {
    /** Priority of each source; index 0 stays 0. */
    final int[] priority = new int[VirtMemoryMap.PLIC_SOURCES + 1];
    /** Pending bit of each source. */
    final boolean[] pending = new boolean[VirtMemoryMap.PLIC_SOURCES + 1];
    /** Current level of each source's line. */
    final boolean[] level = new boolean[VirtMemoryMap.PLIC_SOURCES + 1];
    /** The context that claimed each source and has not completed it, or -1. */
    final int[] claimedBy = new int[VirtMemoryMap.PLIC_SOURCES + 1];
    /** Enable words of every context, {@code WORDS} per context. */
    final int[] enable;
    /** Threshold of each context. */
    final int[] threshold;
    /** The level last driven on each context's output line. */
    final boolean[] output;

    State(@NonNegative int contexts) {
      java.util.Arrays.fill(claimedBy, -1);
      enable = new int[contexts * WORDS];
      threshold = new int[contexts];
      output = new boolean[contexts];
    }
  }

  private final Object lock = new Object();
  private final @GuardedBy("lock") State state;
  /** Output line of each context: MEIP of hart h at 2h, SEIP at 2h + 1. */
  private final IrqLine[] outputs;
  /** The gateway input of each source; index 0 is a line that does nothing. */
  private final IrqLine[] sources;

  /**
   * Creates a PLIC for {@code machineExternal.size()} harts, all sources at priority 0 (never
   * interrupt), all enables and thresholds 0.
   *
   * @param machineExternal per hart, the line driving its {@code mip.MEIP}
   * @param supervisorExternal per hart, the line driving its {@code mip.SEIP}
   * @throws IllegalArgumentException if the lists differ in length, are empty, or name more harts
   *     than the register map has room for
   */
  public Plic(List<IrqLine> machineExternal, List<IrqLine> supervisorExternal) {
    int harts = machineExternal.size();
    long maxContexts = (VirtMemoryMap.PLIC_SIZE - CONTEXT_BASE) / CONTEXT_STRIDE;
    if (harts == 0 || harts != supervisorExternal.size() || 2L * harts > maxContexts) {
      throw new IllegalArgumentException("bad PLIC hart count: " + harts + "/" + supervisorExternal.size());
    }
    outputs = new IrqLine[2 * harts];
    for (int context = 0; context < outputs.length; context++) {
      List<IrqLine> lines = context % 2 == 0 ? machineExternal : supervisorExternal;
      outputs[context] = lines.get(context / 2);
    }
    state = new State(outputs.length);
    sources = new IrqLine[VirtMemoryMap.PLIC_SOURCES + 1];
    sources[0] = IrqLine.NONE;
    for (int s = 1; s < sources.length; s++) {
      int source = s;
      sources[s] = asserted -> setLevel(source, asserted);
    }
  }

  @Override
  public String name() {
    return "plic";
  }

  @Override
  public long size() {
    return VirtMemoryMap.PLIC_SIZE;
  }

  /** Number of contexts: two per hart. */
  public int contexts() {
    return outputs.length;
  }

  /**
   * The input line of interrupt source {@code irq} (1..{@link VirtMemoryMap#PLIC_SOURCES}), to be
   * handed to a device. Safe to drive from any thread.
   *
   * @throws IllegalArgumentException if {@code irq} is not a source of this PLIC
   */
  public IrqLine source(int irq) {
    if (irq < 1 || irq >= sources.length) {
      throw new IllegalArgumentException("no PLIC source " + irq);
    }
    return sources[irq];
  }

  private void setLevel(int source, boolean asserted) {
    synchronized (lock) {
      if (source < 1 || source >= state.level.length || source >= state.pending.length
          || source >= state.claimedBy.length) {
        return;
      }
      state.level[source] = asserted;
      if (state.claimedBy[source] < 0) {
        state.pending[source] = asserted;
      }
      updateOutputs();
    }
  }

  @Override
  public long read(long offset, int width) {
    checkAccess(offset, width);
    synchronized (lock) {
      return readRegister(offset) & 0xFFFF_FFFFL;
    }
  }

  @Override
  public void write(long offset, int width, long value) {
    checkAccess(offset, width);
    synchronized (lock) {
      writeRegister(offset, (int) value);
    }
  }

  private static void checkAccess(long offset, int width) {
    if (width != 4 || (offset & 3) != 0 || offset < 0 || offset >= VirtMemoryMap.PLIC_SIZE) {
      throw DeviceAccessFault.INSTANCE;
    }
  }

  @Holding("lock")
  private int readRegister(long offset) {
    if (offset < PENDING_BASE) {
      int source = (int) (offset / 4);
      return source >= 0 && source < state.priority.length ? state.priority[source] : 0;
    }
    if (offset < ENABLE_BASE) {
      return pendingWord((int) ((offset - PENDING_BASE) / 4));
    }
    if (offset < CONTEXT_BASE) {
      int index = enableIndex(offset);
      return index >= 0 && index < state.enable.length ? state.enable[index] : 0;
    }
    int context = (int) ((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
    long register = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
    if (context >= state.threshold.length) {
      return 0;
    }
    if (register == 0) {
      return state.threshold[context];
    }
    return register == CLAIM_OFFSET ? claim(context) : 0;
  }

  @Holding("lock")
  private void writeRegister(long offset, int value) {
    if (offset < PENDING_BASE) {
      int source = (int) (offset / 4);
      if (source >= 1 && source < state.priority.length) {
        state.priority[source] = value & PRIORITY_MASK; // WARL: QEMU keeps the low bits
      }
    } else if (offset < ENABLE_BASE) {
      return; // the pending array is read-only
    } else if (offset < CONTEXT_BASE) {
      int index = enableIndex(offset);
      if (index >= 0 && index < state.enable.length) {
        state.enable[index] = value & implementedMask(index % WORDS);
      }
    } else {
      int context = (int) ((offset - CONTEXT_BASE) / CONTEXT_STRIDE);
      long register = (offset - CONTEXT_BASE) % CONTEXT_STRIDE;
      if (context >= state.threshold.length) {
        return;
      }
      if (register == 0) {
        state.threshold[context] = value & PRIORITY_MASK;
      } else if (register == CLAIM_OFFSET) {
        complete(context, value);
      }
    }
    updateOutputs();
  }

  /** Index into {@code state.enable} of the enable word at {@code offset}, or -1 if none. */
  @Holding("lock")
  private int enableIndex(long offset) {
    long context = (offset - ENABLE_BASE) / ENABLE_STRIDE;
    long word = ((offset - ENABLE_BASE) % ENABLE_STRIDE) / 4;
    if (word >= WORDS || context >= state.threshold.length) {
      return -1;
    }
    return (int) (context * WORDS + word);
  }

  /** Bits of enable/pending word {@code word} that name a source: 1..PLIC_SOURCES. */
  private static int implementedMask(int word) {
    int mask = -1;
    if (word == 0) {
      mask &= ~1; // source 0 does not exist (PLIC spec "Interrupt Sources")
    }
    int highest = VirtMemoryMap.PLIC_SOURCES - 32 * word; // bit of the last source in this word
    if (highest < 0) {
      return 0;
    }
    return highest >= 31 ? mask : mask & (int) ((2L << highest) - 1);
  }

  @Holding("lock")
  private int pendingWord(int word) {
    int bits = 0;
    for (int bit = 0; bit < 32; bit++) {
      int source = 32 * word + bit;
      if (source >= 0 && source < state.pending.length && state.pending[source]) {
        bits |= 1 << bit;
      }
    }
    return bits;
  }

  @Holding("lock")
  private boolean enabled(int context, int source) {
    int index = context * WORDS + source / 32;
    return index >= 0 && index < state.enable.length && (state.enable[index] & (1 << (source & 31))) != 0;
  }

  /** The best source context {@code context} could claim now, or 0. */
  @Holding("lock")
  private int bestCandidate(int context) {
    if (context < 0 || context >= state.threshold.length) {
      return 0;
    }
    int best = 0;
    int bestPriority = state.threshold[context];
    for (int source = 1; source < state.pending.length && source < state.priority.length; source++) {
      // strictly greater: ties go to the lowest ID, and priority must exceed the threshold
      if (state.pending[source] && state.priority[source] > bestPriority && enabled(context, source)) {
        best = source;
        bestPriority = state.priority[source];
      }
    }
    return best;
  }

  @Holding("lock")
  private int claim(int context) {
    int source = bestCandidate(context);
    if (source > 0 && source < state.pending.length && source < state.claimedBy.length) {
      state.pending[source] = false;
      state.claimedBy[source] = context;
    }
    updateOutputs();
    return source;
  }

  @Holding("lock")
  private void complete(int context, int source) {
    if (source < 1 || source >= state.claimedBy.length || state.claimedBy[source] != context) {
      return; // not claimed by this context: ignored
    }
    state.claimedBy[source] = -1;
    if (source < state.level.length && source < state.pending.length && state.level[source]) {
      state.pending[source] = true; // level gateway: a still-asserted line requests again
    }
  }

  @Holding("lock")
  private void updateOutputs() {
    for (int context = 0; context < outputs.length && context < state.output.length; context++) {
      boolean asserted = bestCandidate(context) != 0;
      if (asserted != state.output[context]) {
        state.output[context] = asserted;
        outputs[context].set(asserted);
      }
    }
  }

  /**
   * Device reset, as when the board was created: every priority, enable and threshold 0, nothing
   * pending or claimed; the context outputs follow. The sources' current line levels are kept
   * (they belong to the devices, which reset their own lines).
   */
  public void reset() {
    synchronized (lock) {
      java.util.Arrays.fill(state.priority, 0);
      java.util.Arrays.fill(state.pending, false);
      java.util.Arrays.fill(state.claimedBy, -1);
      java.util.Arrays.fill(state.enable, 0);
      java.util.Arrays.fill(state.threshold, 0);
      updateOutputs();
    }
  }
}
