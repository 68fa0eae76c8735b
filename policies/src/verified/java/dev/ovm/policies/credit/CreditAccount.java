package dev.ovm.policies.credit;

/**
 * The credit balance of one VM under a Xen-credit-like scheduler, and the weight-proportional share
 * arithmetic that refills it. The balance moves within {@code [floor(), cap()]}: running burns credit,
 * each accounting period refills it, and a VM whose balance is negative is "over" (Xen's
 * {@code CSCHED_PRI_TS_OVER}). Not thread-safe: the owning scheduler serialises access.
 *
 * <p>Contract (proved by KeY with overflow-checked arithmetic, see verification/README.md):
 * <ul>
 *   <li>the class invariant {@code -LIMIT <= floor() <= balance() <= cap() <= LIMIT} holds after every
 *       operation;</li>
 *   <li>{@link #burn(long)} lowers the balance by exactly the consumed amount, or to the floor if that
 *       would go below it; {@link #refill(long)} raises it by exactly the amount, or to the cap;</li>
 *   <li>{@link #share(long, long, long)} is {@code floor(total * weight / totalWeight)}, computed without
 *       overflow for all inputs within the stated bounds (KeY, given three non-linear facts of integer
 *       arithmetic that Z3 proves in ShareLemmaTest, which also proves the result is in
 *       {@code [0, total]});</li>
 *   <li>arguments outside the documented ranges throw {@link IllegalArgumentException} and change
 *       nothing.</li>
 * </ul>
 *
 * <p>Written in the Java subset KeY 2.12.3 accepts: the JML in the comments is what the build proves.
 */
public final class CreditAccount {
    /** The largest magnitude of a floor or cap: half of {@code Long.MAX_VALUE}, so differences fit a long. */
    public static final long LIMIT = 4611686018427387903L;
    /** The largest total a {@link #share} may divide: 2^40 credits (Xen hands out ~2^10 per period). */
    public static final long MAX_SHARE_TOTAL = 1099511627776L;
    /** The largest total weight a {@link #share} may divide by: 2^22 (Xen weights are at most 65535 per VM). */
    public static final long MAX_TOTAL_WEIGHT = 4194304L;

    private final /*@ spec_public @*/ long floor;
    private final /*@ spec_public @*/ long cap;
    private /*@ spec_public @*/ long balance;

    /*@ public invariant -4611686018427387903L <= floor && floor <= balance;
      @ public invariant balance <= cap && cap <= 4611686018427387903L;
      @*/

    /**
     * Creates an account with a zero balance.
     *
     * @param floor the lowest balance, in {@code [-LIMIT, 0]}
     * @param cap the highest balance, in {@code [0, LIMIT]}
     * @throws IllegalArgumentException if a bound is out of range (checked, but outside the proved
     *     contract: KeY would demand the invariant of the object a throwing constructor abandons)
     */
    /*@ public normal_behavior
      @ requires -4611686018427387903L <= floor && floor <= 0;
      @ requires 0 <= cap && cap <= 4611686018427387903L;
      @ ensures this.floor == floor && this.cap == cap && balance == 0;
      @*/
    public CreditAccount(long floor, long cap) {
        if (floor < -LIMIT || floor > 0 || cap < 0 || cap > LIMIT) {
            throw new IllegalArgumentException("need -LIMIT <= floor <= 0 <= cap <= LIMIT");
        }
        this.floor = floor;
        this.cap = cap;
    }

    /**
     * Charges consumed time (in credits) to the account.
     *
     * @param consumed the credits used, at least 0
     * @throws IllegalArgumentException if {@code consumed < 0} (nothing changes)
     */
    /*@ public normal_behavior
      @ requires consumed >= 0;
      @ ensures balance == (consumed > \old(balance) - floor ? floor : \old(balance) - consumed);
      @ assignable balance;
      @ also public exceptional_behavior
      @ requires consumed < 0;
      @ signals_only IllegalArgumentException;
      @ assignable \nothing;
      @*/
    public void burn(long consumed) {
        if (consumed < 0) {
            throw new IllegalArgumentException("negative consumption");
        }
        if (consumed > balance - floor) {
            balance = floor;
        } else {
            balance = balance - consumed;
        }
    }

    /**
     * Adds credits to the account.
     *
     * @param amount the credits granted, at least 0
     * @throws IllegalArgumentException if {@code amount < 0} (nothing changes)
     */
    /*@ public normal_behavior
      @ requires amount >= 0;
      @ ensures balance == (amount > cap - \old(balance) ? cap : \old(balance) + amount);
      @ assignable balance;
      @ also public exceptional_behavior
      @ requires amount < 0;
      @ signals_only IllegalArgumentException;
      @ assignable \nothing;
      @*/
    public void refill(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("negative refill");
        }
        if (amount > cap - balance) {
            balance = cap;
        } else {
            balance = balance + amount;
        }
    }

    /**
     * The part of {@code total} credits that a VM of weight {@code weight} gets when the weights of all
     * competing VMs sum to {@code totalWeight}: {@code floor(total * weight / totalWeight)}.
     *
     * @param total the credits to divide, in {@code [0, MAX_SHARE_TOTAL]}
     * @param weight the VM's weight, in {@code [0, totalWeight]}
     * @param totalWeight the sum of the weights, in {@code [1, MAX_TOTAL_WEIGHT]}
     * @return the share, in {@code [0, total]}
     * @throws IllegalArgumentException if an argument is out of its range
     */
    /*@ public normal_behavior
      @ requires 0 <= total && total <= 1099511627776L;
      @ requires 1 <= totalWeight && totalWeight <= 4194304L;
      @ requires 0 <= weight && weight <= totalWeight;
      @ // Three facts of integer arithmetic (JML specification arithmetic is mathematical, unbounded) that
      @ // follow from the three lines above by monotonicity of multiplication, but that KeY's automatic
      @ // strategy cannot derive (non-linear). ShareLemmaTest in the verification module proves them for
      @ // all inputs with Z3. Given them, KeY proves everything else, overflow included.
      @ requires 0 <= total * weight && total * weight <= total * totalWeight;
      @ requires total * totalWeight <= 4611686018427387904L;
      @ ensures \result == total * weight / totalWeight;
      @ also public exceptional_behavior
      @ requires total < 0 || total > 1099511627776L || totalWeight < 1 || totalWeight > 4194304L
      @          || weight < 0 || weight > totalWeight;
      @ signals_only IllegalArgumentException;
      @*/
    public static long share(long total, long weight, long totalWeight) {
        if (total < 0 || total > MAX_SHARE_TOTAL || totalWeight < 1 || totalWeight > MAX_TOTAL_WEIGHT
                || weight < 0 || weight > totalWeight) {
            throw new IllegalArgumentException("share arguments out of range");
        }
        return total * weight / totalWeight;
    }

    /** Returns the current balance, in {@code [floor(), cap()]}. */
    /*@ public normal_behavior
      @ ensures \result == balance;
      @ assignable \strictly_nothing;
      @*/
    public long balance() {
        return balance;
    }

    /** Returns the lowest balance the account can reach. */
    /*@ public normal_behavior
      @ ensures \result == floor;
      @ assignable \strictly_nothing;
      @*/
    public long floor() {
        return floor;
    }

    /** Returns the highest balance the account can reach. */
    /*@ public normal_behavior
      @ ensures \result == cap;
      @ assignable \strictly_nothing;
      @*/
    public long cap() {
        return cap;
    }

    /** Tells whether the VM has overspent (balance below zero): Xen runs such a VM only when idle. */
    /*@ public normal_behavior
      @ ensures \result == (balance < 0);
      @ assignable \strictly_nothing;
      @*/
    public boolean isOver() {
        return balance < 0;
    }
}
