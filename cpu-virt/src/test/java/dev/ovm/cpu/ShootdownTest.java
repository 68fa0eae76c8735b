package dev.ovm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.clustered.CoreSet;
import dev.ovm.memory.GuestRam;
import dev.ovm.memory.MachineMemory;
import dev.ovm.memory.SystemBus;
import dev.ovm.vmm.time.InstructionClock;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * TLB shootdown with a real hart: the hart's TLB and fetch page hold machine offsets, and a page
 * it is reading is discarded (and its frame reused by another VM) while it runs.
 */
class ShootdownTest {
  private static final long BASE = 0x8000_0000L;
  private static final int PAGE = MachineMemory.FRAME_SIZE;
  private static final long DATA = BASE + 0x1_0000;
  private static final long MINE = 0x1;
  private static final long THEIRS = 0x100;

  /** ld t1, 0(a0); s1 |= t1; forever: s1 collects every value the hart ever read at DATA. */
  private static Asm readLoop() {
    Asm a = new Asm(BASE);
    a.li(Asm.A0, DATA);
    a.li(Asm.S1, 0);
    long loop = a.here();
    a.ld(Asm.T1, Asm.A0, 0);
    a.op(0, 6, Asm.S1, Asm.S1, Asm.T1); // or s1, s1, t1
    a.j(loop);
    return a;
  }

  @Test
  void aHartReadingAPageWhileItIsDiscardedNeverSeesAnotherVmsData() throws Exception {
    // little machine memory, so that the frames VM a gives back are soon VM b's
    try (MachineMemory machine = new MachineMemory(40L * PAGE, CoreSet.of(1));
        GuestRam a = new GuestRam(BASE, 1L << 20, machine);
        GuestRam b = new GuestRam(BASE, 16L * PAGE, machine)) {
      byte[] code = readLoop().bytes();
      a.write(BASE, code, 0, code.length);
      writeLong(a, DATA, MINE);
      Hart hart = new Hart(0, new SystemBus(a), new InstructionClock(1));
      hart.reset(BASE);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread cpu = new Thread(() -> {
        try {
          while (!stop.get()) {
            hart.run(5_000);
          }
        } catch (Throwable e) {
          failure.set(e);
        }
      }, "hart-a");
      cpu.start();
      byte[] theirs = new byte[16 * PAGE];
      ByteBuffer fill = ByteBuffer.wrap(theirs).order(ByteOrder.LITTLE_ENDIAN);
      while (fill.hasRemaining()) {
        fill.putLong(THEIRS);
      }
      long before = hart.retired();
      int reused = 0;
      java.util.Set<Long> oldFrames = new java.util.HashSet<>(); // a's data frames, discarded
      for (int round = 0; round < 1_500; round++) {
        oldFrames.add(a.offsetOf(DATA, 8) & ~(PAGE - 1L));
        a.discard(DATA, PAGE); // the hart keeps reading DATA meanwhile
        writeLong(a, DATA, MINE);
        b.discardAll();
        b.write(BASE, theirs, 0, theirs.length); // b now owns most free frames, a's old one too
        for (int page = 0; page < 16; page++) {
          if (oldFrames.contains(b.offsetOf(BASE + (long) page * PAGE, 8) & ~(PAGE - 1L))) {
            reused++;
          }
        }
      }
      stop.set(true);
      cpu.join();
      assertEquals(null, failure.get());
      assertTrue(reused > 100, "VM b reused VM a's old data frames only " + reused + " times");
      assertTrue(hart.retired() - before > 10_000, "the hart hardly ran: " + (hart.retired() - before));
      long seen = hart.x(Asm.S1);
      assertEquals(MINE, seen & MINE, "the hart never read its own data");
      assertEquals(0, seen & THEIRS, "the hart read VM b's data through a stale translation");
    }
  }

  @Test
  void discardAllOnAStoppedHartMakesItReadZerosAfterwards() {
    try (MachineMemory machine = new MachineMemory(64L * PAGE, CoreSet.of(1));
        GuestRam ram = new GuestRam(BASE, 1L << 20, machine)) {
      Hart hart = new Hart(0, new SystemBus(ram), new InstructionClock(1));
      byte[] code = readLoop().bytes();
      ram.write(BASE, code, 0, code.length);
      writeLong(ram, DATA, 0x42);
      hart.reset(BASE);
      hart.run(100); // fills the TLB and the fetch page with machine offsets
      assertEquals(0x42, hart.x(Asm.S1));
      int frames = ram.discardAll(); // a reset: everything reads as zero, code included
      assertEquals(frames, machine.allocator().frames() - machine.allocator().freeFrames() + frames);
      assertEquals(0, machine.allocator().usedFrames());
      byte[] again = Arrays.copyOf(code, code.length);
      ram.write(BASE, again, 0, again.length); // reload the code, not the data
      hart.reset(BASE);
      hart.run(100);
      assertEquals(0, hart.x(Asm.S1), "the hart read the discarded data");
    }
  }

  private static void writeLong(GuestRam ram, long gpa, long value) {
    byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    ram.write(gpa, bytes, 0, 8);
  }
}
