package io.vigil.examples;

import io.vigil.alerts.testkit.RealTools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code monitoring/prometheus/prometheus.yml} as the tests hand it to Debian's Prometheus. Debian builds
 * Prometheus without the Kubernetes service discovery (its client libraries are not packaged), so its
 * {@code promtool} and {@code prometheus} refuse {@code kubernetes_sd_configs}: on such a build, and only there,
 * the one Kubernetes job is cut out (and checked on its own by {@link MonitoringFilesTest}).
 */
final class ShippedPrometheusConfig {

    static final Path DIRECTORY = Path.of("monitoring", "prometheus");
    static final Path FILE = DIRECTORY.resolve("prometheus.yml");
    static final String KUBERNETES_JOB = "vigil-kubernetes-pods";
    private static final Pattern JOB = Pattern.compile("(?ms)^  - job_name: " + KUBERNETES_JOB + "\n.*?(?=^  - job_name: |\\z)");

    private ShippedPrometheusConfig() {
    }

    static String text() {
        try {
            return Files.readString(FILE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Kubernetes job's block, comments before the next job included. */
    static String kubernetesJob() {
        Matcher job = JOB.matcher(text());
        if (!job.find()) {
            throw new AssertionError("no job " + KUBERNETES_JOB + " in " + FILE);
        }
        return job.group();
    }

    /** Whether this Prometheus build knows {@code kubernetes_sd_configs} (Debian's does not). */
    static boolean kubernetesSupported(String promtool, Path scratch) {
        try {
            Path probe = Files.writeString(scratch.resolve("k8s-probe.yml"),
                    "scrape_configs:\n  - job_name: probe\n    kubernetes_sd_configs:\n      - role: pod\n");
            return RealTools.run(promtool, "check", "config", probe.toString()).exit() == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped text, without the Kubernetes job where this build cannot load it. */
    static String forThisBuild(String promtool, Path scratch) {
        String text = text();
        return kubernetesSupported(promtool, scratch) ? text : text.replace(kubernetesJob(), "");
    }
}
