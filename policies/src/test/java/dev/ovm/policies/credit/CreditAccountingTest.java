package dev.ovm.policies.credit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ovm.policies.credit.CreditAccounting.Claim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accounting step's arithmetic. */
class CreditAccountingTest {
  private static final long PERIOD = 9_000_000;

  @Test
  void creditIsSharedByWeight() {
    Map<String, Long> grants = CreditAccounting.grants(
        List.of(new Claim("a", 256, 0, 1), new Claim("b", 512, 0, 1)), PERIOD, 1);
    assertEquals(Map.of("a", 3_000_000L, "b", 6_000_000L), grants);
  }

  @Test
  void aVmGetsAtMostOneCpuPerActiveVcpuAndItsCap() {
    Map<String, Long> grants = CreditAccounting.grants(
        List.of(new Claim("alone", 256, 0, 1), new Claim("capped", 256, 150, 2)), PERIOD, 4);
    // 4 CPUs × 9 M = 36 M, half each: "alone" is limited to one CPU, "capped" to 1.5 CPUs / 2 vCPUs.
    assertEquals(Map.of("alone", PERIOD, "capped", 13_500_000L / 2), grants);
  }

  @Test
  void manyHeavyVmsAreScaledInsteadOfOverflowingTheVerifiedShare() {
    List<Claim> claims = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      claims.add(new Claim("vm" + i, 65_535, 0, 1));
    }
    claims.add(new Claim("light", 1, 0, 1));
    Map<String, Long> grants = CreditAccounting.grants(claims, PERIOD, 64);
    long total = 0;
    for (long grant : grants.values()) {
      total += grant;
    }
    assertEquals(PERIOD * 64 / 100, grants.get("vm0"), PERIOD * 64 / 100 / 1000);
    assertTrue(grants.get("light") >= 0 && grants.get("light") < 10_000, "light: " + grants.get("light"));
    assertTrue(total <= PERIOD * 64 + 101, "no more than the capacity (plus rounding): " + total);
  }
}
