package io.vigil.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo in a JVM of its own, started from the classpath the build just made, as {@code java -jar} would start
 * it, with its own {@code java.io.tmpdir} so that the redis-server it extracts there can be found afterwards.
 */
final class DemoProcess implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("Orders demo on http://127\\.0\\.0\\.1:(\\d+) ");
    /** The demo's settings; none of them may leak in from the environment the build runs in. */
    static final List<String> SETTINGS = List.of("PORT", "REDIS_URI", "DATABASE_URL", "DATABASE_USER",
            "DATABASE_PASSWORD", "BIND_HOST", "OPS_TOKEN", "VIGIL_ENV", "SHUTDOWN_GRACE", "DRAIN_TIMEOUT", "WEBHOOK_URL");

    private final Process process;
    private final Path tmp;
    private final Path stdout;
    private final Path stderr;

    private DemoProcess(Process process, Path tmp, Path stdout, Path stderr) {
        this.process = process;
        this.tmp = tmp;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static DemoProcess start(Path directory, Map<String, String> settings) {
        try {
            Path tmp = Files.createDirectories(directory.resolve("tmp"));
            Path stdout = directory.resolve("stdout.txt");
            Path stderr = directory.resolve("stderr.txt");
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-Xmx256m",
                    "-Djava.io.tmpdir=" + tmp, "-cp", classpath, DemoService.class.getName())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            SETTINGS.forEach(builder.environment()::remove);
            builder.environment().putAll(settings);
            return new DemoProcess(builder.start(), tmp, stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Process process() {
        return process;
    }

    /** Where this JVM extracts the bundled redis-server. */
    String tmpDirectory() {
        return tmp.toString();
    }

    /** The port from the startup line, once the demo serves. */
    int awaitStarted(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher started = STARTED.matcher(stderr());
            if (started.find()) {
                return Integer.parseInt(started.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the demo exited with " + process.exitValue() + ": " + stderr());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the demo did not start within " + timeout + ": " + stderr());
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the demo did not exit within " + timeout + ": " + stderr());
        }
        return process.exitValue();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    List<String> stderrLines() {
        return stderr().lines().toList();
    }

    /** Whatever happened, nothing of this run survives the test. */
    @Override
    public void close() {
        process.destroyForcibly();
        RedisProcesses.under(tmp.toString()).forEach(ProcessHandle::destroyForcibly);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
