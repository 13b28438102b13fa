package io.vigil.alerts.promql;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Prometheus' half of the contract: the same files pass under the real {@code promtool test rules}. */
class PromtoolCliTest {

    @Test
    void promtoolAgreesWithEveryExpectedValue() throws IOException, InterruptedException {
        assumeTrue(PromtoolFiles.promtool().isPresent(), PromtoolFiles.INSTALL_HINT);
        List<String> command = new ArrayList<>(List.of(PromtoolFiles.promtool().get().toString(), "test", "rules"));
        for (Path file : PromtoolFiles.exprFiles()) {
            command.add(file.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS");
    }
}
