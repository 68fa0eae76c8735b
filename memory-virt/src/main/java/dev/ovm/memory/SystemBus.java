package dev.ovm.memory;

import dev.ovm.vmm.device.DeviceAccessFault;
import dev.ovm.vmm.device.MmioDevice;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The guest-physical address space of one VM: its RAM plus device register windows. Every
 * physical access the hart makes outside its TLB fast path, and every page-table read of the
 * Sv39 walker, goes through {@link #load} and {@link #store}. An address that is neither RAM nor a
 * device raises {@link DeviceAccessFault}, which the hart reports to the guest as an access fault
 * (Priv spec 3.7.1); it never becomes a VMM exception.
 *
 * <p>Devices are attached while the board is built, before any hart runs; after that the map is
 * read-only, so lookups take no lock.
 */
public final class SystemBus {

  /**
   * One device window.
   *
   * @param base guest-physical base address
   * @param device the device
   */
  public record Mapping(long base, MmioDevice device) {
    /** True if {@code [pa, pa + width)} lies inside this window. */
    boolean covers(long pa, int width) {
      long offset = pa - base;
      return offset >= 0 && offset <= device.size() - width;
    }
  }

  private final GuestRam ram;
  private Mapping[] mappings = new Mapping[0];

  /** Creates a bus with {@code ram} and no devices. */
  public SystemBus(GuestRam ram) {
    this.ram = ram;
  }

  /** The VM's RAM. */
  public GuestRam ram() {
    return ram;
  }

  /**
   * Maps {@code device} at {@code base}.
   *
   * @throws IllegalArgumentException if the window overlaps RAM or another device
   */
  public void attach(long base, MmioDevice device) {
    // Physical addresses are at most 56 bits (Priv spec 4.4.1): a valid window is non-negative.
    if (base < 0 || device.size() <= 0 || device.size() > Long.MAX_VALUE - base) {
      throw new IllegalArgumentException("device " + device.name() + " has an empty or wrapping window");
    }
    long end = base + device.size();
    if (overlaps(base, end, ram.baseAddress(), ram.baseAddress() + ram.size())) {
      throw new IllegalArgumentException("device " + device.name() + " overlaps RAM");
    }
    for (Mapping m : mappings) {
      if (overlaps(base, end, m.base(), m.base() + m.device().size())) {
        throw new IllegalArgumentException(
            "device " + device.name() + " overlaps " + m.device().name());
      }
    }
    List<Mapping> list = new ArrayList<>(List.of(mappings));
    list.add(new Mapping(base, device));
    list.sort(Comparator.comparingLong(Mapping::base));
    mappings = list.toArray(new Mapping[0]);
  }

  private static boolean overlaps(long aStart, long aEnd, long bStart, long bEnd) {
    return aStart < bEnd && bStart < aEnd;
  }

  /** The device windows, in address order. */
  public List<Mapping> mappings() {
    return List.of(mappings);
  }

  /** The device window that wholly contains {@code [pa, pa + width)}, or null. */
  public @Nullable Mapping deviceAt(long pa, int width) {
    for (Mapping m : mappings) {
      if (m.covers(pa, width)) {
        return m;
      }
    }
    return null;
  }

  /**
   * Reads {@code width} (1, 2, 4 or 8) bytes at guest-physical {@code pa}, zero-extended.
   *
   * @throws DeviceAccessFault if nothing is mapped there or the device rejects the access
   */
  public long load(long pa, int width) {
    long offset = ram.offsetOf(pa, width);
    if (offset >= 0) {
      return switch (width) {
        case 1 -> ram.load8(offset) & 0xFFL;
        case 2 -> ram.load16(offset) & 0xFFFFL;
        case 4 -> ram.load32(offset) & 0xFFFF_FFFFL;
        default -> ram.load64(offset);
      };
    }
    if (ram.contains(pa, width)) {
      return loadAcrossPages(pa, width);
    }
    Mapping m = deviceAt(pa, width);
    if (m == null) {
      throw DeviceAccessFault.INSTANCE;
    }
    return m.device().read(pa - m.base(), width);
  }

  /**
   * Writes the low {@code width} (1, 2, 4 or 8) bytes of {@code value} at guest-physical {@code pa}.
   *
   * @throws DeviceAccessFault if nothing is mapped there or the device rejects the access
   */
  public void store(long pa, int width, long value) {
    long offset = ram.offsetOf(pa, width);
    if (offset >= 0) {
      switch (width) {
        case 1 -> ram.store8(offset, (byte) value);
        case 2 -> ram.store16(offset, (short) value);
        case 4 -> ram.store32(offset, (int) value);
        default -> ram.store64(offset, value);
      }
      return;
    }
    if (ram.contains(pa, width)) {
      storeAcrossPages(pa, width, value);
      return;
    }
    Mapping m = deviceAt(pa, width);
    if (m == null) {
      throw DeviceAccessFault.INSTANCE;
    }
    m.device().write(pa - m.base(), width, value);
  }

  /*
   * A RAM access that straddles two guest pages (possible only for a misaligned access, which the
   * hart never makes, or a device's), whose machine frames need not be adjacent: byte by byte
   * through the P2M, little-endian. Not atomic, as a misaligned access need not be (Unpriv 2.6).
   */

  private long loadAcrossPages(long pa, int width) {
    if (width < 1 || width > 8) {
      throw DeviceAccessFault.INSTANCE;
    }
    byte[] bytes = new byte[width];
    ram.read(pa, bytes, 0, width);
    long value = 0;
    for (int i = width - 1; i >= 0; i--) {
      value = value << 8 | (bytes[i] & 0xFFL);
    }
    return value;
  }

  private void storeAcrossPages(long pa, int width, long value) {
    if (width < 1 || width > 8) {
      throw DeviceAccessFault.INSTANCE;
    }
    byte[] bytes = new byte[width];
    for (int i = 0; i < width; i++) {
      bytes[i] = (byte) (value >> (8 * i)); // only the low byte is kept
    }
    ram.write(pa, bytes, 0, width);
  }
}
