package io.vigil.core.catalog;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommonTagsTest {

    @Test
    void everyMeterCarriesServiceInstanceAndEnv() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CommonTags.builder().service("checkout").instance("pod-1").env("prod").build().applyTo(registry);

        MetricCatalog.CACHE_PUTS.counter(registry, Tags.of("cache", "sessions")).increment();
        MetricCatalog.BUSINESS_EVENTS.counter(registry, Tags.of("event", "order.placed")).increment(2);

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.value("cache_puts_total", "cache", "sessions", "service", "checkout", "instance", "pod-1",
                "env", "prod")).isEqualTo(1);
        assertThat(scrape.value("business_events_total", "service", "checkout", "env", "prod")).isEqualTo(2);
    }

    @Test
    void blankOrMissingValuesFailAtConfigurationTime() {
        assertThatThrownBy(() -> CommonTags.builder().service(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service");
        assertThatThrownBy(() -> CommonTags.builder().env("prod").build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("service name");
    }
}
