package dev.ovm.io.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.ovm.io.virtio.DriverQueue.Used;
import dev.ovm.memory.GuestRam;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * One fuzz case for the virtqueue parser and the devices behind it: decodes a byte array into a
 * device (block, entropy, console), negotiated ring features, a queue of 1..16 entries, arbitrary
 * descriptor table, available ring and buffer contents, lets the device process the queue through
 * the transport, and checks that only documented outcomes happened:
 *
 * <ul>
 *   <li>nothing but {@link AssertionError}s from the checks escapes (no device exception);
 *   <li>the device never touches memory outside RAM and writes only into the used ring or into a
 *       device-writable buffer named by a chain the driver made available;
 *   <li>each available chain is either completed, in ring order, with a used length no larger
 *       than its writable buffers, or the device is in DEVICE_NEEDS_RESET;
 *   <li>the interrupt line is asserted exactly while InterruptStatus is non-zero;
 *   <li>after a reset the device works again (the VMM keeps running).
 * </ul>
 */
final class ChainFuzzer {
  static final long BASE = 0x8000_0000L;
  static final int RAM = 64 * 1024;
  static final long DATA = BASE + 0x2000;

  private final ByteInput input;
  private final GuestRam ram = new GuestRam(BASE, RAM);
  private QueueLayout layout;
  private TestDriver driver;
  /** Every writable buffer the oracle has seen named by an available chain. */
  private final Set<List<Long>> allowed = new HashSet<>();
  /** The largest writable total seen for each available head, at kick time or before a write. */
  private final Map<Integer, Long> writableTotals = new HashMap<>();

  private ChainFuzzer(byte[] bytes) {
    this.input = new ByteInput(bytes);
  }

  /** Runs one case; throws {@link AssertionError} if an undocumented outcome happened. */
  static void check(byte[] bytes) {
    ChainFuzzer fuzzer = new ChainFuzzer(bytes);
    try {
      fuzzer.run();
    } finally {
      fuzzer.ram.close();
    }
  }

  private enum Kind { BLOCK, BLOCK_WRITE_THROUGH, ENTROPY, CONSOLE_TX, CONSOLE_RX }

  private void run() {
    Kind kind = Kind.values()[input.below(Kind.values().length)];
    MemoryBlockBackend backend = new MemoryBlockBackend(8 * 512, input.nextBoolean());
    StringBuilder consoleOutput = new StringBuilder();
    VirtioDevice device =
        switch (kind) {
          case BLOCK, BLOCK_WRITE_THROUGH -> new VirtioBlock(backend, "fuzz");
          case ENTROPY -> new VirtioEntropy(new Random(1));
          case CONSOLE_TX, CONSOLE_RX -> new VirtioConsole(b -> consoleOutput.append((char) b));
        };
    driver = new TestDriver(device, ram, new CheckingMemory(ram, this::mayWrite));
    long features = Virtio.bit(Virtio.F_VERSION_1);
    if (kind == Kind.BLOCK) {
      features |= Virtio.bit(VirtioBlock.F_FLUSH);
    }
    if (input.nextBoolean()) {
      features |= Virtio.bit(Virtio.F_INDIRECT_DESC);
    }
    if (input.nextBoolean()) {
      features |= Virtio.bit(Virtio.F_EVENT_IDX);
    }
    int size = 1 << input.below(5);
    int queueIndex = kind == Kind.CONSOLE_TX ? VirtioConsole.TRANSMIT_QUEUE : 0;
    int queueCount = device.queueCount();
    int[] sizes = new int[queueCount];
    Arrays.fill(sizes, size);
    DriverQueue queue = driver.start(features, sizes).get(queueIndex);
    layout = queue.layout;

    fillGuestData();
    List<Integer> chainHeads =
        input.nextBoolean() ? writeWellFormedChains(queue, size) : writeDescriptors(queue, size);
    int availIdx = writeAvailableRing(queue, size, chainHeads);
    int[] heads = availableHeads(size, availIdx);

    for (int head : heads) {
      noteWritableTotal(head);
    }
    queue.kick();
    byte[] consoleInput = new byte[0];
    if (kind == Kind.CONSOLE_RX) {
      consoleInput = input.nextBytes(64);
      ((VirtioConsole) device).receive(consoleInput);
    }

    checkOutcome(driver, queue, kind, heads, availIdx, size, consoleInput.length);
    checkRecovery(driver, kind, features);
  }

  private void fillGuestData() {
    byte[] data = input.nextBytes(4096);
    ram.write(DATA, data, 0, data.length);
    for (int k = 0; k < 4; k++) { // a few block request headers where descriptors may point
      int[] types = {VirtioBlock.T_IN, VirtioBlock.T_OUT, VirtioBlock.T_FLUSH, VirtioBlock.T_GET_ID, 77};
      byte[] header = VirtioBlockTest.header(types[input.below(types.length)], input.below(12));
      ram.write(DATA + 0x1000 + 16L * k, header, 0, 16);
    }
  }

  private long address() {
    return switch (input.below(10)) {
      case 0, 1, 2 -> DATA + input.below(0xE000);
      case 3, 4 -> DATA + 0x1000 + 16L * input.below(4); // a request header
      case 5 -> DATA + 512L * input.below(8);
      case 6 -> BASE + input.below(0x2000); // the rings themselves
      case 7 -> input.nextLong();
      case 8 -> BASE + RAM - input.below(64);
      default -> DATA + 16L * input.below(64); // where indirect tables may be
    };
  }

  private long length() {
    return switch (input.below(8)) {
      case 0 -> 16;
      case 1 -> 1;
      case 2 -> 512L * input.below(4);
      case 3 -> 16L * input.below(8);
      case 4 -> input.nextInt() & 0xFFFF_FFFFL;
      case 5 -> 0;
      default -> input.below(0x400);
    };
  }

  /** Arbitrary descriptors; any index may be a head. */
  private List<Integer> writeDescriptors(DriverQueue queue, int size) {
    List<Integer> heads = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      heads.add(i);
      int flags = input.below(8) == 0 ? input.below(0x10000) : input.below(8);
      int next = input.below(8) == 0 ? input.below(0x10000) : input.below(size + 1);
      queue.writeDescriptor(i, address(), length(), flags, next);
    }
    for (int i = 0; i < input.below(4); i++) { // an indirect table or two in the data area
      long table = DATA + 16L * input.below(64);
      for (int j = 0; j < 4; j++) {
        queue.writeDescriptorAt(table + 16L * j, address(), length(), input.below(8), input.below(5));
      }
    }
    return heads;
  }

  /**
   * Mostly well-formed chains (a header, data, a status byte, as drivers write them), each field
   * replaced by an arbitrary one now and then; returns the chain heads.
   */
  private List<Integer> writeWellFormedChains(DriverQueue queue, int size) {
    List<Integer> heads = new ArrayList<>();
    int i = 0;
    while (i < size) {
      int length = Math.min(1 + input.below(4), size - i);
      int firstWritable = input.below(length + 1);
      heads.add(i);
      for (int k = 0; k < length; k++, i++) {
        boolean last = k == length - 1;
        boolean writable = k >= firstWritable;
        long address = k == 0 ? DATA + 0x1000 + 16L * input.below(4) : DATA + 512L * input.below(8);
        long bytes = k == 0 && !writable ? 16 : last && writable ? 1 : 512L * (1 + input.below(2));
        int flags = (last ? 0 : DriverQueue.NEXT) | (writable ? DriverQueue.WRITE : 0);
        int next = i + 1;
        switch (input.below(12)) {
          case 0 -> address = address();
          case 1 -> bytes = length();
          case 2 -> flags = input.below(8);
          case 3 -> next = input.below(size + 2);
          default -> {}
        }
        queue.writeDescriptor(i, address, bytes, flags, next);
      }
    }
    return heads;
  }

  private int writeAvailableRing(DriverQueue queue, int size, List<Integer> chainHeads) {
    for (int slot = 0; slot < size; slot++) {
      int head =
          input.below(8) == 0
              ? input.below(0x10000)
              : chainHeads.get((slot + input.below(2)) % chainHeads.size());
      RamWords.store(ram, layout.availableRing() + 4 + 2L * slot, 2, (short) head);
    }
    queue.setAvailFlags(input.below(3));
    queue.setUsedEvent(input.below(0x10000));
    int idx = input.below(8) == 0 ? input.below(0x10000) : Math.max(1, Math.min(size, chainHeads.size()) - input.below(2));
    queue.setAvailIdx(idx);
    return idx;
  }

  private int[] availableHeads(int size, int availIdx) {
    int count = availIdx <= size ? availIdx : 0;
    int[] heads = new int[count];
    for (int i = 0; i < count; i++) {
      heads[i] = (short) RamWords.load(ram, layout.availableRing() + 4 + 2L * i, 2) & 0xFFFF;
    }
    return heads;
  }

  private void checkOutcome(
      TestDriver driver, DriverQueue queue, Kind kind, int[] heads, int availIdx, int size, int inputLength) {
    assertEquals(driver.read(MmioRegisters.INTERRUPT_STATUS) != 0, driver.irq.level());
    if (ringsWritableByDevice()) {
      return;
    }
    boolean needsReset = driver.needsReset();
    List<Used> used = queue.takeUsed();
    boolean processesAll = kind != Kind.CONSOLE_RX;
    if (availIdx > size && (processesAll || inputLength > 0)) {
      assertTrue(needsReset, "an available idx jump must break the device");
      assertTrue(used.isEmpty());
    }
    assertTrue(used.size() <= heads.length, "more completions than chains");
    if (!needsReset && processesAll) {
      assertEquals(heads.length, used.size(), "every chain is completed unless the device needs reset");
    }
    long received = 0;
    for (int i = 0; i < used.size(); i++) {
      Used element = used.get(i);
      assertEquals(heads[i], element.id(), "completions come back in ring order");
      long writable = writableTotals.getOrDefault(element.id(), 0L);
      assertTrue((element.length() & 0xFFFF_FFFFL) <= writable, "used length beyond the writable buffers");
      switch (kind) {
        case CONSOLE_TX -> assertEquals(0, element.length());
        case CONSOLE_RX -> received += element.length();
        case ENTROPY -> assertTrue(element.length() <= VirtioEntropy.MAX_BYTES_PER_REQUEST);
        default -> {}
      }
    }
    assertTrue(received <= inputLength, "more input delivered than received");
  }

  /** After whatever happened, a reset and a well-formed request must work. */
  private void checkRecovery(TestDriver driver, Kind kind, long features) {
    int queueIndex = kind == Kind.CONSOLE_TX ? VirtioConsole.TRANSMIT_QUEUE : 0;
    int[] sizes = kind == Kind.CONSOLE_TX || kind == Kind.CONSOLE_RX ? new int[] {4, 4} : new int[] {4};
    DriverQueue queue = driver.start(features, sizes).get(queueIndex);
    layout = queue.layout;
    switch (kind) {
      case BLOCK, BLOCK_WRITE_THROUGH ->
          queue.submit(driver.readable(VirtioBlockTest.header(VirtioBlock.T_GET_ID, 0)), driver.writable(21, 0xFF));
      case ENTROPY, CONSOLE_RX -> queue.submit(driver.writable(8, 0));
      case CONSOLE_TX -> queue.submit(driver.readable(new byte[] {'x'}));
    }
    queue.kick();
    assertFalse(driver.needsReset());
    if (kind != Kind.CONSOLE_RX) {
      assertEquals(1, queue.takeUsed().size(), "the device works again after a reset");
    }
  }

  /**
   * The write oracle: a used ring of any queue the driver set up, or a device-writable buffer of a
   * chain made available in the fuzzed queue. Chains are read from memory as it is just before
   * each write and accumulated: a device parses a chain once, so a chain whose descriptors it
   * later overwrote (a buffer overlapping the rings, which the guest may name) still counts.
   */
  private boolean mayWrite(long gpa, int length) {
    for (QueueLayout any : driver.layouts) {
      if (within(gpa, length, any.usedRing(), any.usedRingBytes())) {
        return true;
      }
    }
    if (layout == null) {
      return false;
    }
    int availIdx = (short) RamWords.load(ram, layout.availableRing() + 2, 2) & 0xFFFF;
    int count = Math.min(availIdx, layout.size());
    for (int i = 0; i < count; i++) {
      int head = (short) RamWords.load(ram, layout.availableRing() + 4 + 2L * i, 2) & 0xFFFF;
      for (long[] range : writableRanges(head)) {
        allowed.add(List.of(range[0], range[1]));
      }
      noteWritableTotal(head);
    }
    for (List<Long> range : allowed) {
      if (within(gpa, length, range.get(0), range.get(1))) {
        return true;
      }
    }
    return false;
  }

  private static boolean within(long gpa, long length, long start, long size) {
    return gpa - start >= 0 && gpa - start <= size && length <= size - (gpa - start);
  }

  private void noteWritableTotal(int head) {
    writableTotals.merge(head, writableBytes(head), Math::max);
    for (long[] range : writableRanges(head)) {
      allowed.add(List.of(range[0], range[1]));
    }
  }

  /**
   * True if some chain named a writable buffer overlapping the fuzzed queue's rings: then the
   * device may legitimately have overwritten ring fields, and only the memory oracle applies.
   */
  private boolean ringsWritableByDevice() {
    for (List<Long> range : allowed) {
      long start = range.get(0);
      long end = start + range.get(1);
      long ringsStart = Math.min(layout.availableRing(), layout.usedRing());
      long ringsEnd = Math.max(
          layout.availableRing() + layout.availableRingBytes(), layout.usedRing() + layout.usedRingBytes());
      if (Long.compareUnsigned(start, ringsEnd) < 0 && Long.compareUnsigned(end, ringsStart) > 0) {
        return true;
      }
    }
    return false;
  }

  private long writableBytes(int head) {
    long total = 0;
    for (long[] range : writableRanges(head)) {
      total += range[1];
    }
    return total;
  }

  /**
   * An independent, lenient reading of the chain at {@code head}: every device-writable
   * descriptor reachable from it (through at most one indirect table, without repeating a
   * descriptor), whether or not the chain is valid. A superset of what a correct device may use.
   */
  private List<long[]> writableRanges(int head) {
    List<long[]> ranges = new ArrayList<>();
    Set<Long> visited = new HashSet<>();
    long table = layout.descriptorTable();
    long entries = layout.size();
    long index = head;
    boolean indirect = false;
    while (index < entries && visited.add(table + 16 * index)) {
      long at = table + 16 * index;
      long address = RamWords.load(ram, at, 8);
      long length = (int) RamWords.load(ram, at + 8, 4) & 0xFFFF_FFFFL;
      int flags = (short) RamWords.load(ram, at + 12, 2) & 0xFFFF;
      int next = (short) RamWords.load(ram, at + 14, 2) & 0xFFFF;
      if ((flags & DriverQueue.INDIRECT) != 0) {
        if (indirect || length == 0 || length % 16 != 0 || !ram.contains(address, length)) {
          break;
        }
        indirect = true;
        table = address;
        entries = length / 16;
        index = 0;
        continue;
      }
      if ((flags & DriverQueue.WRITE) != 0) {
        ranges.add(new long[] {address, length});
      }
      if ((flags & DriverQueue.NEXT) == 0) {
        break;
      }
      index = next;
    }
    return ranges;
  }
}
