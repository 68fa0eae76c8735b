package dev.ovm.policies.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Runtime checks of CreditAccount beside its KeY proof (verification module): the clamping at the floor
 * and cap, the extreme inputs that would overflow a naive implementation, and share against BigInteger.
 */
class CreditAccountTest {

    @Test
    void burnStopsAtTheFloorAndRefillAtTheCap() {
        CreditAccount account = new CreditAccount(-100, 300);
        account.refill(250);
        assertEquals(250, account.balance());
        account.refill(100);
        assertEquals(300, account.balance());
        account.burn(350);
        assertEquals(-50, account.balance());
        assertTrue(account.isOver());
        account.burn(1000);
        assertEquals(-100, account.balance());
    }

    @Test
    void extremeAmountsClampInsteadOfWrapping() {
        CreditAccount account = new CreditAccount(-CreditAccount.LIMIT, CreditAccount.LIMIT);
        account.refill(Long.MAX_VALUE);
        assertEquals(CreditAccount.LIMIT, account.balance());
        account.burn(Long.MAX_VALUE);
        assertEquals(-CreditAccount.LIMIT, account.balance());
        assertFalse(account.balance() > account.cap());
    }

    @Test
    void negativeAmountsAndBadBoundsAreRejected() {
        CreditAccount account = new CreditAccount(0, 10);
        assertThrows(IllegalArgumentException.class, () -> account.burn(-1));
        assertThrows(IllegalArgumentException.class, () -> account.refill(-1));
        assertEquals(0, account.balance());
        assertThrows(IllegalArgumentException.class, () -> new CreditAccount(1, 10));
        assertThrows(IllegalArgumentException.class, () -> new CreditAccount(0, -1));
        assertThrows(IllegalArgumentException.class, () -> CreditAccount.share(1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> CreditAccount.share(1, 0, 0));
        assertThrows(IllegalArgumentException.class,
                () -> CreditAccount.share(CreditAccount.MAX_SHARE_TOTAL + 1, 1, 1));
    }

    @Test
    void shareIsTheExactFloorOfTheProportion() {
        qt().forAll(longs().between(0, CreditAccount.MAX_SHARE_TOTAL),
                        longs().between(1, CreditAccount.MAX_TOTAL_WEIGHT),
                        longs().between(0, CreditAccount.MAX_TOTAL_WEIGHT))
                .checkAssert((total, totalWeight, anyWeight) -> {
                    long weight = anyWeight % (totalWeight + 1); // 0..totalWeight
                    long expected = BigInteger.valueOf(total).multiply(BigInteger.valueOf(weight))
                            .divide(BigInteger.valueOf(totalWeight)).longValueExact();
                    long share = CreditAccount.share(total, weight, totalWeight);
                    assertEquals(expected, share);
                    assertTrue(0 <= share && share <= total);
                });
        assertEquals(CreditAccount.MAX_SHARE_TOTAL, CreditAccount.share(CreditAccount.MAX_SHARE_TOTAL,
                CreditAccount.MAX_TOTAL_WEIGHT, CreditAccount.MAX_TOTAL_WEIGHT));
    }
}
