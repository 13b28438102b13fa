package io.vigil.alerts.promql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Where the promtool test files live, and how to find the {@code promtool} binary. */
final class PromtoolFiles {

    /** Relative to the module directory, where Maven runs the tests. */
    static final Path EXPR_DIR = Path.of("src/test/resources/promtool/expr");

    static final String INSTALL_HINT = "promtool is not on PATH; install it with \"apt-get install prometheus\" "
            + "(Debian ships promtool 2.42 with it) to run the promtool half of the contract";

    private PromtoolFiles() {
    }

    static List<Path> exprFiles() {
        try (Stream<Path> files = Files.list(EXPR_DIR)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<Path> promtool() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
