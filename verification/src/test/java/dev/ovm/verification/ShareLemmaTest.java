package dev.ovm.verification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.z3.ArithExpr;
import com.microsoft.z3.BoolExpr;
import com.microsoft.z3.Context;
import com.microsoft.z3.IntExpr;
import com.microsoft.z3.IntSort;
import com.microsoft.z3.Solver;
import com.microsoft.z3.Status;
import org.junit.jupiter.api.Test;

/**
 * Proves with Z3, over the unbounded integers, the three non-linear facts that
 * {@code CreditAccount.share}'s KeY contract takes as preconditions because KeY's automatic strategy
 * cannot derive them, and the range of the result that KeY does not prove: for all
 * {@code 0 <= t <= 2^40}, {@code 1 <= W <= 2^22}, {@code 0 <= w <= W}:
 * {@code 0 <= t*w <= t*W <= 2^62} and {@code 0 <= (t*w)/W <= t}. A fact holds iff its negation under
 * the bounds is unsatisfiable. The last test shows the check can fail: with a larger total bound the
 * product bound has a counterexample.
 */
class ShareLemmaTest {
    private static final long MAX_SHARE_TOTAL = 1L << 40; // CreditAccount.MAX_SHARE_TOTAL
    private static final long MAX_TOTAL_WEIGHT = 1L << 22; // CreditAccount.MAX_TOTAL_WEIGHT
    private static final long PRODUCT_BOUND = 1L << 62;   // the literal in share's precondition

    /** Returns Z3's verdict on "bounds on t, w, W and not fact(t, w, W)" with the given total bound. */
    private static Status counterexampleTo(long maxTotal, Fact fact) {
        try (Context ctx = new Context()) {
            IntExpr t = ctx.mkIntConst("total");
            IntExpr w = ctx.mkIntConst("weight");
            IntExpr weights = ctx.mkIntConst("totalWeight");
            BoolExpr bounds = ctx.mkAnd(
                    ctx.mkLe(ctx.mkInt(0), t), ctx.mkLe(t, ctx.mkInt(maxTotal)),
                    ctx.mkLe(ctx.mkInt(1), weights), ctx.mkLe(weights, ctx.mkInt(MAX_TOTAL_WEIGHT)),
                    ctx.mkLe(ctx.mkInt(0), w), ctx.mkLe(w, weights));
            Solver solver = ctx.mkSolver();
            solver.add(bounds, ctx.mkNot(fact.of(ctx, t, w, weights)));
            return solver.check();
        }
    }

    private interface Fact {
        BoolExpr of(Context ctx, IntExpr total, IntExpr weight, IntExpr totalWeight);
    }

    private static ArithExpr<IntSort> product(Context ctx, IntExpr a, IntExpr b) {
        return ctx.mkMul(a, b);
    }

    @Test
    void productIsNonNegativeAndAtMostTotalTimesTotalWeight() {
        assertEquals(Status.UNSATISFIABLE, counterexampleTo(MAX_SHARE_TOTAL, (ctx, t, w, weights) ->
                ctx.mkAnd(ctx.mkLe(ctx.mkInt(0), product(ctx, t, w)),
                        ctx.mkLe(product(ctx, t, w), product(ctx, t, weights)))));
    }

    @Test
    void totalTimesTotalWeightFitsTheProductBound() {
        assertEquals(Status.UNSATISFIABLE, counterexampleTo(MAX_SHARE_TOTAL, (ctx, t, w, weights) ->
                ctx.mkLe(product(ctx, t, weights), ctx.mkInt(PRODUCT_BOUND))));
    }

    @Test
    void shareIsBetweenZeroAndTotal() {
        assertEquals(Status.UNSATISFIABLE, counterexampleTo(MAX_SHARE_TOTAL, (ctx, t, w, weights) -> {
            // Z3's div rounds down for a positive divisor: Java's / on non-negative operands
            ArithExpr<IntSort> share = ctx.mkDiv(product(ctx, t, w), weights);
            return ctx.mkAnd(ctx.mkLe(ctx.mkInt(0), share), ctx.mkLe(share, t));
        }));
    }

    @Test
    void aLargerTotalBoundBreaksTheProductBound() {
        assertEquals(Status.SATISFIABLE, counterexampleTo(MAX_SHARE_TOTAL << 1, (ctx, t, w, weights) ->
                ctx.mkLe(product(ctx, t, weights), ctx.mkInt(PRODUCT_BOUND))));
    }
}
