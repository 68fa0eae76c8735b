package dev.ovm.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ovm.vmm.device.DeviceAccessFault;
import dev.ovm.vmm.device.MmioDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemBusTest {

  /** Records accesses; register 0 holds the last value written. */
  static final class Recorder implements MmioDevice {
    final List<String> log = new ArrayList<>();
    long value;

    @Override
    public String name() {
      return "rec";
    }

    @Override
    public long size() {
      return 0x100;
    }

    @Override
    public long read(long offset, int width) {
      log.add("r" + offset + "/" + width);
      return value;
    }

    @Override
    public void write(long offset, int width, long v) {
      log.add("w" + offset + "/" + width);
      value = v;
    }
  }

  @Test
  void routesRamAndDeviceAccessesAndFaultsElsewhere() {
    try (GuestRam ram = new GuestRam(0x8000_0000L, 4096)) {
      SystemBus bus = new SystemBus(ram);
      Recorder dev = new Recorder();
      bus.attach(0x1000_0000L, dev);
      bus.store(0x8000_0010L, 4, 0xdead_beefL);
      assertEquals(0xdead_beefL, bus.load(0x8000_0010L, 4));
      assertEquals(0xefL, bus.load(0x8000_0010L, 1));
      bus.store(0x1000_0004L, 1, 42);
      assertEquals(42, bus.load(0x1000_0004L, 1));
      assertEquals(List.of("w4/1", "r4/1"), dev.log);
      assertSame(DeviceAccessFault.INSTANCE, assertThrows(DeviceAccessFault.class, () -> bus.load(0x2000_0000L, 4)));
      // a window's last bytes are inside, one past is not
      bus.load(0x1000_00f8L, 8);
      assertThrows(DeviceAccessFault.class, () -> bus.load(0x1000_00fcL, 8));
      // the last word of RAM is RAM, a doubleword straddling its end is not
      assertEquals(0, bus.load(0x8000_0ffcL, 4));
      assertThrows(DeviceAccessFault.class, () -> bus.load(0x8000_0ffcL, 8));
    }
  }

  @Test
  void overlappingWindowsAreRejected() {
    try (GuestRam ram = new GuestRam(0x8000_0000L, 4096)) {
      SystemBus bus = new SystemBus(ram);
      bus.attach(0x1000_0000L, new Recorder());
      assertThrows(IllegalArgumentException.class, () -> bus.attach(0x1000_00ffL, new Recorder()));
      assertThrows(IllegalArgumentException.class, () -> bus.attach(0x7fff_ff80L, new Recorder()));
      bus.attach(0x1000_0100L, new Recorder());
      assertEquals(2, bus.mappings().size());
    }
  }
}
