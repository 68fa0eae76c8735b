package dev.ovm.verification.negative;

/**
 * A copy of dev.ovm.policies.credit.CreditAccount with two deliberate faults. KeyProverNegativeTest
 * asserts that KeY leaves both contracts OPEN.
 */
public final class OverflowingCreditAccount {
    private final /*@ spec_public @*/ long floor;
    private final /*@ spec_public @*/ long cap;
    private /*@ spec_public @*/ long balance;

    /*@ public invariant -4611686018427387903L <= floor && floor <= balance;
      @ public invariant balance <= cap && cap <= 4611686018427387903L;
      @*/

    /*@ public normal_behavior
      @ requires -4611686018427387903L <= floor && floor <= 0;
      @ requires 0 <= cap && cap <= 4611686018427387903L;
      @ ensures this.floor == floor && this.cap == cap && balance == 0;
      @*/
    public OverflowingCreditAccount(long floor, long cap) {
        this.floor = floor;
        this.cap = cap;
    }

    /* OVERFLOW BUG: balance + amount wraps for large amounts, and the wrapped sum passes the cap test.
       (With KeY's default integer semantics, which ignore overflow, this proof would close.) */
    /*@ public normal_behavior
      @ requires amount >= 0;
      @ ensures balance == (amount > cap - \old(balance) ? cap : \old(balance) + amount);
      @ assignable balance;
      @*/
    public void refill(long amount) {
        long sum = balance + amount;
        if (sum > cap) {
            balance = cap;
        } else {
            balance = sum;
        }
    }

    /* WRONG CONTRACT: forgets the floor; the code (rightly) stops at the floor. */
    /*@ public normal_behavior
      @ requires consumed >= 0;
      @ ensures balance == \old(balance) - consumed;
      @ assignable balance;
      @*/
    public void burn(long consumed) {
        if (consumed > balance - floor) {
            balance = floor;
        } else {
            balance = balance - consumed;
        }
    }
}
