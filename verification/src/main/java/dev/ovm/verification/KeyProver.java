package dev.ovm.verification;

import de.uka.ilkd.key.control.KeYEnvironment;
import de.uka.ilkd.key.java.abstraction.KeYJavaType;
import de.uka.ilkd.key.logic.op.IObserverFunction;
import de.uka.ilkd.key.pp.LogicPrinter;
import de.uka.ilkd.key.proof.Goal;
import de.uka.ilkd.key.proof.Proof;
import de.uka.ilkd.key.proof.init.ProofInputException;
import de.uka.ilkd.key.proof.io.ProblemLoaderException;
import de.uka.ilkd.key.settings.ChoiceSettings;
import de.uka.ilkd.key.settings.ProofSettings;
import de.uka.ilkd.key.speclang.Contract;
import de.uka.ilkd.key.strategy.StrategyProperties;
import de.uka.ilkd.key.util.KeYTypeUtil;
import de.uka.ilkd.key.util.MiscTools;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Proves every JML contract of every class in one or more Java source folders with KeY 2.12.3, using
 * KeY's automatic strategy and <b>overflow-checking integer semantics</b>
 * ({@code intRules:arithmeticSemanticsCheckingOF}): every {@code int}/{@code long} operation in the code
 * and the specification must be shown not to overflow, so a proof holds for Java's real arithmetic.
 *
 * <p>Contract: {@link #proveAll} returns one {@link ProofResult} per contract, sorted by name; a
 * contract is {@linkplain ProofResult#proved() proved} only if KeY closed every goal within the step
 * limit. Sources KeY cannot parse (generics, lambdas, records... see verification/README.md) make
 * {@link #proveAll} throw, so a bad kernel can never pass by being skipped.
 *
 * <p>Command line ({@link #main}): {@code KeyProver [--max-steps N] [--only TEXT] [--show-open]
 * [--classpath STUBS] SRC...} prints one {@code PROVED}/{@code OPEN} line per contract, then
 * {@code N passed, M failed}, and exits with status 1 if any proof stays open, no contract was found,
 * or the sources did not load. Run it with {@code -Xss8m} and a writable {@code user.home}.
 */
public final class KeyProver {
    /** The proof-step limit per contract; the kernels close in well under a tenth of it. */
    public static final int DEFAULT_MAX_STEPS = 20_000;

    private final int maxSteps;
    private final List<File> stubRoots;

    /**
     * Creates a prover.
     *
     * @param maxSteps the rule-application limit per contract (positive)
     * @param stubRoots folders of JML-annotated stubs for library classes KeY does not model; their
     *     contracts are assumed, not proved
     */
    public KeyProver(int maxSteps, List<Path> stubRoots) {
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("max steps must be positive: " + maxSteps);
        }
        this.maxSteps = maxSteps;
        List<File> files = new ArrayList<>();
        for (Path root : stubRoots) {
            files.add(root.toFile());
        }
        this.stubRoots = List.copyOf(files);
    }

    /**
     * Loads the source folders as one program and attempts a proof of each contract.
     *
     * @param sourceRoots source folders (package directories below them); at least one
     * @param only prove only contracts whose KeY name contains it (e.g. {@code FrameSet::allocate});
     *     "" for all
     * @return the results, sorted by contract name; empty if the sources contain no contract
     * @throws ProblemLoaderException if KeY cannot parse or type-check the sources
     * @throws ProofInputException if KeY cannot build a proof obligation
     * @throws IOException if merging several source folders fails
     */
    public List<ProofResult> proveAll(List<Path> sourceRoots, String only)
            throws ProblemLoaderException, ProofInputException, IOException {
        useOverflowCheckingSemantics();
        try (SourceTree tree = SourceTree.of(sourceRoots)) {
            KeYEnvironment<?> env = load(tree.root().toFile(), stubRoots);
            try {
                List<ProofResult> results = new ArrayList<>();
                for (Contract contract : contracts(env, only)) {
                    results.add(prove(env, contract));
                }
                return results;
            } finally {
                env.dispose();
            }
        }
    }

    /*
     * KeY's API takes null for "no extra class path", "KeY's own JDK model as boot class path" and "no
     * includes"; the library carries no nullness annotations, so the checker assumes non-null
     * parameters. Passing null here is what KeY documents, hence the narrow suppression.
     */
    @SuppressWarnings("nullness")
    private static KeYEnvironment<?> load(File source, List<File> stubRoots) throws ProblemLoaderException {
        return KeYEnvironment.load(source, stubRoots.isEmpty() ? null : stubRoots, null, null);
    }

    /*
     * KeY reads its taclet options ("choices") when it loads a problem. KeY's own examples load twice so
     * that the first load initialises the settings; setting the defaults before a single load gives the
     * same proofs and saves one load (10-25 s).
     */
    private static void useOverflowCheckingSemantics() {
        ChoiceSettings settings = ProofSettings.DEFAULT_SETTINGS.getChoiceSettings();
        Map<String, String> choices = new HashMap<>(settings.getDefaultChoices());
        choices.putAll(MiscTools.getDefaultTacletOptions());
        choices.put("intRules", "intRules:arithmeticSemanticsCheckingOF");
        settings.setDefaultChoices(choices);
    }

    private static List<Contract> contracts(KeYEnvironment<?> env, String only) {
        List<Contract> contracts = new ArrayList<>();
        for (KeYJavaType type : env.getJavaInfo().getAllKeYJavaTypes()) {
            if (KeYTypeUtil.isLibraryClass(type)) {
                continue;
            }
            for (IObserverFunction target : env.getSpecificationRepository().getContractTargets(type)) {
                for (Contract contract : env.getSpecificationRepository().getContracts(type, target)) {
                    if (contract.getName().contains(only)) {
                        contracts.add(contract);
                    }
                }
            }
        }
        contracts.sort(Comparator.comparing(Contract::getName));
        return contracts;
    }

    private ProofResult prove(KeYEnvironment<?> env, Contract contract) throws ProofInputException {
        long start = System.nanoTime();
        Proof proof = env.createProof(contract.createProofObl(env.getInitConfig(), contract));
        try {
            configureStrategy(proof);
            env.getUi().getProofControl().startAndWaitForAutoMode(proof);
            List<String> open = new ArrayList<>();
            for (Goal goal : proof.openGoals()) {
                open.add("#" + goal.node().serialNr() + ":\n"
                        + LogicPrinter.quickPrintSequent(goal.sequent(), proof.getServices()));
            }
            return new ProofResult(contract.getName(), open.isEmpty(), proof.countNodes(), open,
                    (System.nanoTime() - start) / 1e9);
        } finally {
            proof.dispose();
        }
    }

    /*
     * The automatic strategy with: callee method contracts and loop invariants (no unrolling), query
     * and dependency contracts (pure methods and accessible clauses in specifications), and the
     * definitional treatment of / and % needed for the share arithmetic (KeY's "completion" mode for
     * non-linear arithmetic ran for minutes without closing share's product bound, see the README). Stop when a branch cannot be
     * closed instead of going on until the step limit: an open proof is reported as OPEN either way.
     */
    private void configureStrategy(Proof proof) {
        StrategyProperties properties =
                proof.getSettings().getStrategySettings().getActiveStrategyProperties();
        properties.setProperty(StrategyProperties.METHOD_OPTIONS_KEY, StrategyProperties.METHOD_CONTRACT);
        properties.setProperty(StrategyProperties.LOOP_OPTIONS_KEY, StrategyProperties.LOOP_INVARIANT);
        properties.setProperty(StrategyProperties.DEP_OPTIONS_KEY, StrategyProperties.DEP_ON);
        properties.setProperty(StrategyProperties.QUERY_OPTIONS_KEY, StrategyProperties.QUERY_ON);
        properties.setProperty(StrategyProperties.NON_LIN_ARITH_OPTIONS_KEY,
                StrategyProperties.NON_LIN_ARITH_DEF_OPS);
        properties.setProperty(StrategyProperties.STOPMODE_OPTIONS_KEY, StrategyProperties.STOPMODE_NONCLOSE);
        proof.getSettings().getStrategySettings().setActiveStrategyProperties(properties);
        proof.getSettings().getStrategySettings().setMaxSteps(maxSteps);
        ProofSettings.DEFAULT_SETTINGS.getStrategySettings().setMaxSteps(maxSteps);
        ProofSettings.DEFAULT_SETTINGS.getStrategySettings().setActiveStrategyProperties(properties);
        proof.setActiveStrategy(
                proof.getServices().getProfile().getDefaultStrategyFactory().create(proof, properties));
    }

    /**
     * Command-line entry point; see the class comment for the arguments and the exit status.
     *
     * @param args options, then one or more source folders
     */
    public static void main(String[] args) {
        CommandLine command;
        try {
            command = CommandLine.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("KeyProver: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(2);
            return;
        }
        long start = System.nanoTime();
        List<ProofResult> results;
        try {
            results = new KeyProver(command.maxSteps(), command.stubRoots())
                    .proveAll(command.sourceRoots(), command.only());
        } catch (ProblemLoaderException | ProofInputException | IOException e) {
            System.err.println("KeyProver: the sources did not load: " + e);
            System.exit(1);
            return;
        }
        int failed = 0;
        for (ProofResult result : results) {
            System.out.println(result.line());
            if (!result.proved()) {
                failed++;
                if (command.showOpen()) {
                    result.openGoals().forEach(goal -> System.out.println("  open goal " + goal));
                }
            }
        }
        System.out.printf("%d passed, %d failed (%.1f s)%n", results.size() - failed, failed,
                (System.nanoTime() - start) / 1e9);
        if (results.isEmpty()) {
            System.err.println("KeyProver: no contract found in " + command.sourceRoots());
        }
        System.exit(failed == 0 && !results.isEmpty() ? 0 : 1);
    }
}
