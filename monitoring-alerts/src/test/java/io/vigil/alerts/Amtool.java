package io.vigil.alerts;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs Alertmanager's own {@code amtool check-config} on a file; skips the test when amtool is absent. */
final class Amtool {

    record Result(int exitCode, String output) {
    }

    private Amtool() {
    }

    static Result checkConfig(Path file) throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath(), "amtool not found: apt-get install prometheus-alertmanager");
        Process p = new ProcessBuilder("amtool", "check-config", file.toString()).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("amtool check-config did not finish");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static boolean onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "amtool"))) {
                return true;
            }
        }
        return false;
    }
}
