package dev.ovm.verification;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The parsed arguments of {@link KeyProver#main}.
 *
 * @param sourceRoots the folders whose contracts are proved (at least one)
 * @param stubRoots folders of library stubs, assumed and not proved
 * @param only prove only contracts whose name contains this ("" for all)
 * @param maxSteps the proof-step limit per contract
 * @param showOpen print the open goals of every proof that stays open
 */
record CommandLine(List<Path> sourceRoots, List<Path> stubRoots, String only, int maxSteps,
        boolean showOpen) {

    static final String USAGE =
            "usage: KeyProver [--max-steps N] [--only TEXT] [--show-open] [--classpath STUBS] SRC...";

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException on an unknown option, a missing value or no source folder
     */
    static CommandLine parse(List<String> args) {
        List<Path> sources = new ArrayList<>();
        List<Path> stubs = new ArrayList<>();
        String only = "";
        int maxSteps = KeyProver.DEFAULT_MAX_STEPS;
        boolean showOpen = false;
        Iterator<String> it = args.iterator();
        while (it.hasNext()) {
            String arg = it.next();
            switch (arg) {
                case "--max-steps" -> maxSteps = Integer.parseInt(value(it, arg));
                case "--only" -> only = value(it, arg);
                case "--show-open" -> showOpen = true;
                case "--classpath" -> stubs.add(Path.of(value(it, arg)));
                default -> {
                    if (arg.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    sources.add(Path.of(arg));
                }
            }
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no source folder given");
        }
        return new CommandLine(List.copyOf(sources), List.copyOf(stubs), only, maxSteps, showOpen);
    }

    private static String value(Iterator<String> it, String option) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return it.next();
    }
}
