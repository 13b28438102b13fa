package io.vigil.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory CPU harness runs every workload and variant once and writes what report.py reads. */
class InMemoryCpuRunTest {

    @Test
    void everyWorkloadAndVariantRunsAndIsWritten(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("inmem.json");
        InMemoryCpuRun.main(new String[] {"--rounds", "2", "--warmup-seconds", "0", "--scale", "0.001",
                "--out", out.toString()});
        String json = Files.readString(out);
        assertThat(json).contains("\"rounds\": 2");
        for (String workload : new String[] {"filter.sync", "filter.normalizedPath", "operations.scoped.compact",
                "operations.scoped.none", "operations.runnable.compact", "operations.runnable.none",
                "jdbc.statementCycle", "jdbc.pointSelect", "jetty.local", "redis.lettuceGet"}) {
            assertThat(json).contains("\"" + workload + "\": {");
        }
        for (String variant : new String[] {"bare", "vigil", "springObservation", "timerSample", "p6spy", "otelJdbc",
                "datasourceProxy", "datasourceMicrometer", "timedHandler", "bareControl"}) {
            assertThat(json).contains("\"" + variant + "\": [");
        }
        // two positive figures per variant, twelve for Jetty's (six times the rounds)
        Matcher values = Pattern.compile("\"\\w+\": \\[([^\\]]*)\\]").matcher(json);
        int variants = 0;
        int jettyVariants = 0;
        while (values.find()) {
            String[] perRound = values.group(1).split(", ");
            assertThat(perRound.length).isIn(2, 12);
            jettyVariants += perRound.length == 12 ? 1 : 0;
            for (String value : perRound) {
                assertThat(Double.parseDouble(value)).isPositive();
            }
            variants++;
        }
        assertThat(variants).isEqualTo(3 + 3 + 4 * 3 + 6 + 2 + 5 + 2);
        assertThat(jettyVariants).isEqualTo(5);
    }
}
