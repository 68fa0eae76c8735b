package dev.ovm.io.virtio;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of the virtio-mmio register interface with real devices behind it (see {@link
 * RegisterFuzzer}). A regression test over its seeds in {@code mvn test}; fuzzes with {@code
 * JAZZER_FUZZ=1}.
 */
class VirtioMmioFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void fuzzRegisters(byte[] input) {
    RegisterFuzzer.check(input);
  }
}
