package dev.ovm.verification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.checkerframework.checker.lock.qual.GuardSatisfied;

/**
 * One folder holding the Java sources KeY should load. KeY loads a single folder per problem; loading
 * costs 10-25 s, so several source folders (one per module) are merged into a temporary folder and
 * loaded once, rather than loaded one by one.
 *
 * <p>Contract: {@link #root()} contains every {@code .java} file of every given folder at the same
 * relative path; {@link #close()} deletes the temporary copy (never the given folders).
 */
final class SourceTree implements AutoCloseable {
    private final Path root;
    private final boolean temporary;

    private SourceTree(Path root, boolean temporary) {
        this.root = root;
        this.temporary = temporary;
    }

    /**
     * Returns a tree for the given folders: the folder itself if there is one, else a merged copy.
     *
     * @throws IOException if a folder is missing or copying fails, or two folders hold the same file
     */
    static SourceTree of(List<Path> roots) throws IOException {
        if (roots.isEmpty()) {
            throw new IOException("no source folder given");
        }
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                throw new IOException("not a folder: " + root);
            }
        }
        if (roots.size() == 1) {
            return new SourceTree(roots.get(0), false);
        }
        Path merged = Files.createTempDirectory("ovm-key-sources");
        for (Path root : roots) {
            for (Path source : javaFiles(root)) {
                Path target = merged.resolve(root.relativize(source).toString());
                Path parent = target.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.copy(source, target); // fails if two folders define the same file
            }
        }
        return new SourceTree(merged, true);
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return new ArrayList<>(walk.filter(p -> p.toString().endsWith(".java")).toList());
        }
    }

    /** Returns the folder to hand to KeY. */
    Path root() {
        return root;
    }

    /** Deletes the merged copy, if one was made. */
    @Override
    public void close(@GuardSatisfied SourceTree this) throws IOException {
        if (!temporary) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
        }
        for (Path path : all) {
            Files.delete(path);
        }
    }
}
