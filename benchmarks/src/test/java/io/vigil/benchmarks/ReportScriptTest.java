package io.vigil.benchmarks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The report scripts are part of the proof, so the build tests them: {@code report.py}'s three verdicts on
 * synthetic JMH, in-memory CPU ({@code inmem.json}) and server-CPU fixtures ({@code src/test/python/test_report.py}:
 * time verdicts on thread CPU when measured and on JMH otherwise, the median's order-statistics interval, the share
 * lines, the server-CPU comparison as a cross-check without verdict, smoke runs unresolved), and the root README's
 * performance table against the committed {@code RESULTS.md} (it must quote only what that run holds).
 * Skipped with a message when {@code python3} is absent.
 */
class ReportScriptTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    @BeforeAll
    static void python3() {
        assumeTrue(run(List.of("python3", "--version")).exit == 0,
                "python3 is not installed (apt-get install python3): report scripts not tested");
    }

    @Test
    void reportGivesPassFailAndUnresolvedOnFixtures() {
        Result result = run(List.of("python3", "-m", "unittest", "-v", "test_report"), MODULE.resolve("src/test/python"));
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output).containsPattern("Ran [1-9][0-9]* tests").contains("\nOK");
    }

    @Test
    void readmeQuotesOnlyWhatResultsHolds() {
        Result result = run(List.of("python3", "readme_table.py", "--check"), MODULE);
        assertThat(result.exit).as(result.output).isZero();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command) {
        return run(command, MODULE);
    }

    private static Result run(List<String> command, Path directory) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
