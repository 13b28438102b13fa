package io.vigil.core.exposition;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.catalog.MetricCatalog;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static io.vigil.core.exposition.PrometheusExposition.OPENMETRICS_1_0;
import static io.vigil.core.exposition.PrometheusExposition.TEXT_0_0_4;
import static org.assertj.core.api.Assertions.assertThat;

class PrometheusExpositionTest {

    @Test
    void negotiatesByAcceptHeader() {
        assertThat(PrometheusExposition.negotiate(null)).isEqualTo(TEXT_0_0_4);
        assertThat(PrometheusExposition.negotiate("*/*")).isEqualTo(TEXT_0_0_4);
        assertThat(PrometheusExposition.negotiate("text/plain")).isEqualTo(TEXT_0_0_4);
        // What Prometheus 2.x sends by default.
        assertThat(PrometheusExposition.negotiate("application/openmetrics-text;version=1.0.0,"
                + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"))
                .isEqualTo(OPENMETRICS_1_0);
        assertThat(PrometheusExposition.negotiate("Application/OpenMetrics-Text; version=1.0.0"))
                .isEqualTo(OPENMETRICS_1_0);
        assertThat(PrometheusExposition.negotiate("application/openmetrics-text;q=0, text/plain"))
                .isEqualTo(TEXT_0_0_4);
        assertThat(PrometheusExposition.negotiate("application/openmetrics-text;q=bogus")).isEqualTo(TEXT_0_0_4);
    }

    @Test
    void writesTheNegotiatedFormat() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MetricCatalog.CACHE_PUTS.counter(registry, Tags.of("cache", "c")).increment();

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        assertThat(PrometheusExposition.write(registry, "text/plain", text)).isEqualTo(TEXT_0_0_4);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("cache_puts_total{cache=\"c\"} 1.0")
                .doesNotContain("# EOF");

        ByteArrayOutputStream open = new ByteArrayOutputStream();
        assertThat(PrometheusExposition.write(registry, "application/openmetrics-text", open))
                .isEqualTo(OPENMETRICS_1_0);
        assertThat(open.toString(StandardCharsets.UTF_8)).contains("cache_puts_total{cache=\"c\"} 1.0")
                .endsWith("# EOF\n");
    }
}
