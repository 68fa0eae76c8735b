package dev.ovm.io.virtio;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@link ChainFuzzer} and {@link RegisterFuzzer} checks over random inputs with QuickTheories,
 * so that every {@code mvn test} explores fresh inputs, not only the Jazzer seed corpora.
 */
class VirtioFuzzPropertyTest {

  @Test
  void randomRingsOnlyEverCompleteOrNeedReset() {
    qt().withExamples(3000)
        .forAll(longs().all(), integers().between(0, 6000))
        .checkAssert(
            (seed, length) -> {
              byte[] bytes = new byte[length];
              new Random(seed).nextBytes(bytes);
              ChainFuzzer.check(bytes);
            });
  }

  @Test
  void randomRegisterAccessesOnlyEverFault() {
    qt().withExamples(500)
        .forAll(longs().all(), integers().between(0, 3000))
        .checkAssert(
            (seed, length) -> {
              byte[] bytes = new byte[length];
              new Random(seed).nextBytes(bytes);
              RegisterFuzzer.check(bytes);
            });
  }
}
