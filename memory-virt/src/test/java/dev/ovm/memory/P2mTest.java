package dev.ovm.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.ovm.clustered.CoreSet;
import dev.ovm.vmm.memory.GuestMemoryException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Guest RAM as guest frames mapped to machine frames: population, bounds, isolation, discard. */
class P2mTest {
  private static final long BASE = 0x8000_0000L;
  private static final int PAGE = MachineMemory.FRAME_SIZE;

  @Test
  void pagesArePopulatedOnFirstTouchAndReadAsZero() {
    try (MachineMemory machine = new MachineMemory(16 * PAGE, CoreSet.of(1));
        GuestRam ram = new GuestRam(BASE, 8 * PAGE, machine)) {
      assertEquals(0, ram.residentPages());
      byte[] page = new byte[PAGE];
      ram.read(BASE + 3 * PAGE, page, 0, PAGE);
      assertEquals(0, ram.residentPages(), "a DMA read of untouched RAM allocates nothing");
      assertTrue(ram.offsetOf(BASE + 5 * PAGE + 8, 8) >= 0);
      assertEquals(1, ram.residentPages());
      assertEquals(1, machine.allocator().usedFrames());
      assertEquals(0, ram.load64(ram.offsetOf(BASE + 5 * PAGE + 8, 8)));
    }
  }

  @Test
  void dmaCrossesPagesThatLieAnywhereInMachineMemory() {
    try (MachineMemory machine = new MachineMemory(16 * PAGE, CoreSet.of(1));
        GuestRam ram = new GuestRam(BASE, 8 * PAGE, machine)) {
      ram.offsetOf(BASE + 2 * PAGE, 1); // page 2 gets the first machine frame, page 1 the next
      byte[] data = new byte[PAGE + 100];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (i * 7 + 1);
      }
      ram.write(BASE + 2 * PAGE - 50, data, 0, data.length);
      long first = ram.offsetOf(BASE + PAGE, 1);
      long second = ram.offsetOf(BASE + 2 * PAGE, 1);
      assertNotEquals(first + PAGE, second, "the test wants non-adjacent frames");
      byte[] back = new byte[data.length];
      ram.read(BASE + 2 * PAGE - 50, back, 0, back.length);
      assertArrayEquals(data, back);
      assertEquals(data[50], ram.load8(second));
    }
  }

  @Test
  void theBusSplitsAnAccessAcrossTwoPages() {
    try (GuestRam ram = new GuestRam(BASE, 4 * PAGE)) {
      SystemBus bus = new SystemBus(ram);
      ram.offsetOf(BASE + PAGE, 1); // page 1 before page 0: not adjacent in machine memory
      bus.store(BASE + PAGE - 4, 8, 0x1122_3344_5566_7788L);
      assertEquals(0x1122_3344_5566_7788L, bus.load(BASE + PAGE - 4, 8));
      assertEquals(0x1122_3344L, bus.load(BASE + PAGE, 4));
    }
  }

  @Test
  void twoVmsOnOneMachineNeverShareAFrame() {
    try (MachineMemory machine = new MachineMemory(64 * PAGE, CoreSet.of(2));
        GuestRam a = new GuestRam(BASE, 16 * PAGE, machine);
        GuestRam b = new GuestRam(BASE, 16 * PAGE, machine)) {
      Set<Long> frames = new HashSet<>();
      for (int page = 0; page < 16; page++) {
        assertTrue(frames.add(a.offsetOf(BASE + (long) page * PAGE, PAGE)));
        assertTrue(frames.add(b.offsetOf(BASE + (long) page * PAGE, PAGE)));
      }
      byte[] secret = new byte[PAGE];
      Arrays.fill(secret, (byte) 0x5A);
      a.write(BASE, secret, 0, PAGE);
      byte[] seen = new byte[16 * PAGE];
      b.read(BASE, seen, 0, seen.length);
      for (byte x : seen) {
        assertEquals(0, x, "VM b sees VM a's data");
      }
    }
  }

  @Test
  void noGuestAddressReachesOutsideItsRam() {
    try (MachineMemory machine = new MachineMemory(32 * PAGE, CoreSet.of(1));
        GuestRam other = new GuestRam(BASE, 8 * PAGE, machine);
        GuestRam ram = new GuestRam(BASE, 8 * PAGE, machine)) {
      byte[] secret = new byte[8 * PAGE];
      Arrays.fill(secret, (byte) 0x77);
      other.write(BASE, secret, 0, secret.length);
      Set<Long> othersFrames = new HashSet<>();
      for (int page = 0; page < 8; page++) {
        othersFrames.add(other.offsetOf(BASE + (long) page * PAGE, 1));
      }
      qt().forAll(integers().between(-2 * PAGE, 10 * PAGE), integers().between(1, 8))
          .checkAssert((delta, width) -> {
            long pa = BASE + delta;
            long offset = ram.offsetOf(pa, width);
            boolean inside = delta >= 0 && delta + width <= 8 * PAGE;
            boolean samePage = (delta & (PAGE - 1)) + width <= PAGE;
            assertEquals(inside && samePage, offset >= 0, "offsetOf(" + delta + ", " + width + ")");
            if (offset >= 0) {
              assertTrue(!othersFrames.contains(offset & ~(PAGE - 1L)), "names the other VM's frame");
              assertEquals(0, ram.load8(offset));
            }
            if (!inside) {
              assertThrows(GuestMemoryException.class, () -> ram.read(pa, new byte[width], 0, width));
            }
          });
    }
  }

  @Test
  void discardMakesARangeReadAsZeroAndReturnsItsFrames() {
    try (MachineMemory machine = new MachineMemory(16 * PAGE, CoreSet.of(1));
        GuestRam ram = new GuestRam(BASE, 8 * PAGE, machine)) {
      byte[] ones = new byte[8 * PAGE];
      Arrays.fill(ones, (byte) 1);
      ram.write(BASE, ones, 0, ones.length);
      assertEquals(8, machine.allocator().usedFrames());
      assertEquals(3, ram.discard(BASE + 2 * PAGE, 3 * PAGE));
      assertEquals(5, machine.allocator().usedFrames());
      byte[] back = new byte[8 * PAGE];
      ram.read(BASE, back, 0, back.length);
      for (int i = 0; i < back.length; i++) {
        int page = i / PAGE;
        assertEquals(page >= 2 && page < 5 ? 0 : 1, back[i], "byte " + i);
      }
      assertThrows(GuestMemoryException.class, () -> ram.discard(BASE + 1, PAGE));
      assertThrows(GuestMemoryException.class, () -> ram.discard(BASE + 7 * PAGE, 2 * PAGE));
      assertEquals(5, ram.discardAll());
      assertEquals(0, machine.allocator().usedFrames());
      ram.read(BASE, back, 0, back.length);
      for (byte x : back) {
        assertEquals(0, x);
      }
      machine.allocator().checkConsistent();
    }
  }

  @Test
  void aFreedFrameReachesTheNextVmZeroed() {
    try (MachineMemory machine = new MachineMemory(4 * PAGE, CoreSet.of(1))) {
      GuestRam first = new GuestRam(BASE, 4 * PAGE, machine);
      byte[] secret = new byte[4 * PAGE];
      Arrays.fill(secret, (byte) 0x3C);
      first.write(BASE, secret, 0, secret.length);
      first.close(); // the VM is destroyed: its frames go back
      assertEquals(0, machine.allocator().usedFrames());
      assertEquals(-1, first.offsetOf(BASE, 1), "a destroyed VM's RAM maps nothing");
      try (GuestRam second = new GuestRam(BASE, 4 * PAGE, machine)) {
        for (int page = 0; page < 4; page++) {
          long offset = second.offsetOf(BASE + (long) page * PAGE, 8);
          assertTrue(offset >= 0);
          for (int i = 0; i < PAGE; i += 8) {
            assertEquals(0, second.load64(offset + i), "the new VM sees old data");
          }
        }
      }
    }
  }

  @Test
  void exhaustedMachineMemoryFailsTheAccessNotTheVmm() {
    try (MachineMemory machine = new MachineMemory(2 * PAGE, CoreSet.of(1));
        GuestRam ram = new GuestRam(BASE, 4 * PAGE, machine)) {
      assertTrue(ram.offsetOf(BASE, 8) >= 0);
      assertTrue(ram.offsetOf(BASE + PAGE, 8) >= 0);
      assertEquals(-1, ram.offsetOf(BASE + 2 * PAGE, 8));
      assertThrows(GuestMemoryException.class, () -> ram.write(BASE + 3 * PAGE, new byte[1], 0, 1));
      ram.discard(BASE, PAGE);
      assertTrue(ram.offsetOf(BASE + 2 * PAGE, 8) >= 0, "a discarded frame is usable again");
    }
  }
}
