package dev.ovm.io.virtio;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz test of the virtqueue parser and the devices behind it (see {@link ChainFuzzer} for
 * what is checked). In a plain {@code mvn test} it runs as a regression test over the seed corpus
 * in {@code src/test/resources/dev/ovm/io/virtio/VirtqueueFuzzTestInputs/fuzzChains}; with {@code
 * JAZZER_FUZZ=1} it fuzzes for {@code maxDuration} and saves any finding into that directory.
 */
class VirtqueueFuzzTest {

  @FuzzTest(maxDuration = "5m")
  void fuzzChains(byte[] input) {
    ChainFuzzer.check(input);
  }
}
