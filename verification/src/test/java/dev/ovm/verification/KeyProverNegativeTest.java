package dev.ovm.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prover must be able to fail: KeY runs on deliberately broken copies of the kernels
 * (src/test/key-negative) and every wrong contract must stay OPEN, while the correct constructors of
 * the same files are PROVED (so the OPEN results are not a loading or configuration failure).
 */
class KeyProverNegativeTest {
    private static List<ProofResult> results = List.of();

    @BeforeAll
    static void proveBrokenKernels() throws Exception {
        results = new KeyProver(KeyProver.DEFAULT_MAX_STEPS, List.of())
                .proveAll(List.of(Path.of("src/test/key-negative")), "");
    }

    private static ProofResult only(String simpleClassName, String method) {
        List<ProofResult> matching = results.stream().filter(r -> r.isFor(simpleClassName, method)).toList();
        assertEquals(1, matching.size(), () -> simpleClassName + "::" + method + " in " + results);
        return matching.get(0);
    }

    @Test
    void allocateClaimingToAlwaysSucceedStaysOpen() {
        assertFalse(only("BrokenFrameSet", "allocate").proved());
    }

    @Test
    void offByOneSearchStaysOpen() {
        assertFalse(only("BrokenFrameSet", "findFree").proved());
    }

    @Test
    void overflowingRefillStaysOpen() {
        ProofResult refill = only("OverflowingCreditAccount", "refill");
        assertFalse(refill.proved());
        assertFalse(refill.openGoals().isEmpty());
    }

    @Test
    void burnContractForgettingTheFloorStaysOpen() {
        assertFalse(only("OverflowingCreditAccount", "burn").proved());
    }

    @Test
    void correctConstructorsOfTheSameFilesAreProved() {
        assertTrue(only("BrokenFrameSet", "BrokenFrameSet").proved());
        assertTrue(only("OverflowingCreditAccount", "OverflowingCreditAccount").proved());
        assertEquals(6, results.size(), results::toString);
    }
}
