package io.vigil.benchmarks.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server-CPU harness end to end, briefly, on the Jetty target: three server JVMs and a load generator
 * started, two rounds driven, each instrumented server's count checked, the JSON written. No figure is
 * asserted (timings never are); only that the run completes and reports every variant.
 */
class ServerCpuRunSmokeTest {

    @Test
    void jettyRoundsCompleteAndWriteJson(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("cpu.json");
        ServerCpuRun.main(new String[] {"--targets", "jetty", "--rounds", "2", "--warmup", "0", "--seconds", "1",
                "--connections", "2", "--out", out.toString()});

        String json = Files.readString(out);
        assertThat(json).contains("\"jetty\"", "\"bare\"", "\"bareB\"", "\"vigil\"", "\"overhead_median\"",
                "\"control\": \"bareB\"");
    }
}
