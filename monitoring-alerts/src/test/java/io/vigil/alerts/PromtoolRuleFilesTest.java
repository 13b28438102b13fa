package io.vigil.alerts;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract, both halves: every promtool rule test file under {@code src/test/resources/promtool/rules} passes
 * under Vigil's rule engine, and under the real {@code promtool test rules}.
 */
class PromtoolRuleFilesTest {

    static final Path RULES_DIR = Path.of("src/test/resources/promtool/rules");

    static List<Path> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(RULES_DIR)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".test.yml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> vigilPassesEveryFile() throws IOException {
        return testFiles().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> assertThat(PromtoolAlertRuleRunner.run(file)).as(file.toString()).isEmpty()));
    }

    @Test
    void corpusCoversEveryPackAlert() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path file : testFiles()) {
            all.append(Files.readString(file));
        }
        for (AlertRule rule : RuleFiles.pack().rules()) {
            if (rule.isAlerting()) {
                assertThat(all.toString()).as("a promtool test of " + rule.name())
                        .contains("alertname: " + rule.name() + "\n");
            }
        }
    }

    @Test
    void promtoolPassesEveryFile() throws IOException, InterruptedException {
        Optional<Path> promtool = promtool();
        assumeTrue(promtool.isPresent(), INSTALL_HINT);
        List<String> command = new ArrayList<>(List.of(promtool.get().toString(), "test", "rules"));
        testFiles().forEach(f -> command.add(f.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("FAILED");
    }

    static final String INSTALL_HINT = "promtool is not on PATH; install it with \"apt-get install prometheus\" "
            + "(Debian ships promtool 2.42 with it) to run the promtool half of the contract";

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
