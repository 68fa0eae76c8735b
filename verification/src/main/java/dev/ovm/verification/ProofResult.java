package dev.ovm.verification;

import java.util.List;

/**
 * The outcome of one KeY proof attempt for one JML contract.
 *
 * @param contract KeY's name of the contract: the class, the method signature and the specification case
 *     (e.g. {@code dev.ovm.memory.frames.FrameSet[dev.ovm.memory.frames.FrameSet::allocate()].JML
 *     normal_behavior operation contract.0})
 * @param proved true when KeY closed every goal, i.e. the method meets the contract for all inputs
 *     allowed by the precondition, with overflow-checked integer arithmetic
 * @param nodes the size of the proof tree KeY built
 * @param openGoals the sequents KeY could not close (empty when proved); each is what is left to show,
 *     often a counterexample in disguise
 * @param seconds wall-clock time of this proof attempt
 */
public record ProofResult(String contract, boolean proved, int nodes, List<String> openGoals, double seconds) {

    /** Copies the list of open goals so the result is immutable. */
    public ProofResult {
        openGoals = List.copyOf(openGoals);
    }

    /**
     * Whether this contract belongs to the given method of the given class.
     *
     * @param simpleClassName the class name without its package, e.g. {@code FrameSet}
     * @param method the method name, e.g. {@code allocate}; {@code <init>} for a constructor
     * @return true if KeY's contract name names that class and method
     */
    public boolean isFor(String simpleClassName, String method) {
        return contract.contains("." + simpleClassName + "::" + method + "(");
    }

    /** Returns the one-line report of the command-line run: {@code PROVED}/{@code OPEN}, name, size, time. */
    public String line() {
        return String.format("%-6s %s  nodes=%d open=%d %.1fs",
                proved ? "PROVED" : "OPEN", contract, nodes, openGoals.size(), seconds);
    }
}
