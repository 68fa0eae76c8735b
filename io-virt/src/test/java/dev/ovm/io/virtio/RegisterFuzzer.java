package dev.ovm.io.virtio;

import static org.junit.jupiter.api.Assertions.*;

import dev.ovm.memory.GuestRam;
import dev.ovm.vmm.device.DeviceAccessFault;
import java.util.Random;

/**
 * One fuzz case for the register interface: decodes a byte array into a device (block, console,
 * entropy) and a sequence of register accesses (biased towards the control registers, with queue
 * addresses inside a RAM full of random bytes so that queues get enabled and notified), performs
 * them, and checks that only {@link DeviceAccessFault} ever escapes, that the interrupt line
 * follows InterruptStatus, and that Status reads back a value the driver could have set plus at
 * most DEVICE_NEEDS_RESET.
 */
final class RegisterFuzzer {
  private static final long BASE = 0x8000_0000L;
  private static final int RAM = 64 * 1024;
  private static final int[] REGISTERS = {
    MmioRegisters.DEVICE_FEATURES_SEL, MmioRegisters.DRIVER_FEATURES, MmioRegisters.DRIVER_FEATURES_SEL,
    MmioRegisters.QUEUE_SEL, MmioRegisters.QUEUE_NUM, MmioRegisters.QUEUE_READY, MmioRegisters.QUEUE_NOTIFY,
    MmioRegisters.INTERRUPT_ACK, MmioRegisters.STATUS, MmioRegisters.QUEUE_DESC_LOW, MmioRegisters.QUEUE_DRIVER_LOW,
    MmioRegisters.QUEUE_DEVICE_LOW, MmioRegisters.QUEUE_DESC_HIGH, MmioRegisters.SHM_SEL, MmioRegisters.CONFIG
  };

  private RegisterFuzzer() {}

  static void check(byte[] bytes) {
    ByteInput input = new ByteInput(bytes);
    try (GuestRam ram = new GuestRam(BASE, RAM)) {
      byte[] noise = new byte[RAM];
      new Random(input.nextInt()).nextBytes(noise);
      ram.write(BASE, noise, 0, RAM);
      VirtioDevice device =
          switch (input.below(3)) {
            case 0 -> new VirtioBlock(new MemoryBlockBackend(16 * 512, input.nextBoolean()), "fuzz");
            case 1 -> new VirtioConsole(b -> {});
            default -> new VirtioEntropy(new Random(2));
          };
      RecordingIrq irq = new RecordingIrq();
      VirtioMmioTransport transport = new VirtioMmioTransport(device, ram, irq);
      int accesses = 1 + input.below(300);
      for (int i = 0; i < accesses; i++) {
        access(transport, input);
        assertEquals(transport.read(MmioRegisters.INTERRUPT_STATUS, 4) != 0, irq.level());
      }
      if (device instanceof VirtioConsole console) {
        console.receive(new byte[] {1, 2, 3}); // input from another thread's entry point
      }
      int status = (int) transport.read(MmioRegisters.STATUS, 4);
      assertEquals(0, status & ~0xFF, "status is a byte");
    }
  }

  private static void access(VirtioMmioTransport transport, ByteInput input) {
    int register = REGISTERS[input.below(REGISTERS.length)];
    long value =
        switch (input.below(6)) {
          case 0 -> input.nextInt() & 0xFFFF_FFFFL;
          case 1 -> input.below(16);
          case 2 -> (BASE + 16L * input.below(RAM / 16)) & 0xFFFF_FFFFL; // an address in RAM
          case 3 -> 1L << input.below(32);
          case 4 -> 0xF; // ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK
          default -> 0x7 | (input.nextBoolean() ? 0x8 : 0);
        };
    int width = input.below(8) == 0 ? 1 << input.below(4) : 4;
    long offset = register + (input.below(16) == 0 ? input.below(4) : 0);
    try {
      if (input.below(4) == 0) {
        transport.read(offset, width);
      } else {
        transport.write(offset, width, value);
      }
    } catch (DeviceAccessFault expected) {
      // narrow or misaligned control register access: the documented fault
    }
  }
}
