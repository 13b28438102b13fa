package io.vigil.core.exposition;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * Renders a {@link PrometheusMeterRegistry} in the format the scraper asked for: OpenMetrics 1.0 when the
 * {@code Accept} header offers {@code application/openmetrics-text} with a non-zero quality (Prometheus
 * does by default), else the classic text format 0.0.4.
 *
 * <p>Needs {@code micrometer-registry-prometheus} on the class path (an optional dependency of core).
 */
public final class PrometheusExposition {

    public static final String TEXT_0_0_4 = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS_1_0 = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private PrometheusExposition() {
    }

    /** The content type to answer with for this {@code Accept} header (null or absent: text 0.0.4). */
    public static String negotiate(String accept) {
        if (accept == null) {
            return TEXT_0_0_4;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("application/openmetrics-text")) {
                continue;
            }
            if (quality(parts) > 0) {
                return OPENMETRICS_1_0;
            }
        }
        return TEXT_0_0_4;
    }

    /** Writes the scrape for {@code accept}; returns the content type written. */
    public static String write(PrometheusMeterRegistry registry, String accept, OutputStream out)
            throws IOException {
        String contentType = negotiate(accept);
        registry.scrape(out, contentType);
        return contentType;
    }

    /** The scrape as a string, for tests and small tools. */
    public static String scrape(PrometheusMeterRegistry registry, String accept) {
        return registry.scrape(negotiate(accept));
    }

    private static double quality(String[] parameters) {
        for (int i = 1; i < parameters.length; i++) {
            String parameter = parameters[i].trim();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
