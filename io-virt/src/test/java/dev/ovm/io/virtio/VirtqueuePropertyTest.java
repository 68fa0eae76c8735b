package dev.ovm.io.virtio;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@link ChainFuzzer} checks over random ring contents with QuickTheories, so that every
 * {@code mvn test} explores fresh inputs, not only the Jazzer seed corpus.
 */
class VirtqueuePropertyTest {

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
}
