package io.vigil.core.internal;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InternalErrorsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void failuresAreSwallowedAndCountedPerComponent() {
        InternalErrors filter = InternalErrors.forComponent(registry, "servlet.filter");
        InternalErrors jdbc = InternalErrors.forComponent(registry, "jdbc");

        assertThatCode(() -> {
            filter.run(() -> {
                throw new IllegalStateException("boom");
            });
            filter.run(() -> {
                throw new StackOverflowError();
            });
            jdbc.record(new RuntimeException("x"));
            filter.run(() -> { });
        }).doesNotThrowAnyException();

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.value("vigil_internal_errors_total", "component", "servlet.filter")).isEqualTo(2);
        assertThat(scrape.value("vigil_internal_errors_total", "component", "jdbc")).isEqualTo(1);
        assertThat(filter.count()).isEqualTo(2);
    }

    @Test
    void aThousandErrorsInABurstStillCountEveryOne() {
        InternalErrors errors = InternalErrors.forComponent(registry, "redis");
        for (int i = 0; i < 1_000; i++) {
            errors.record(new RuntimeException("burst " + i));
        }
        assertThat(errors.count()).isEqualTo(1_000);
    }

    @Test
    void aFailureThatGoesOnIsLoggedWithItsStackTraceOnlyTheFirstTime() {
        InternalErrors errors = InternalErrors.forComponent(registry, "redis.info");
        assertThat(errors.withStackTrace(new IllegalStateException("Connection refused"))).isTrue();
        // the next minutes of the same outage: one line each
        assertThat(errors.withStackTrace(new IllegalStateException("Connection refused"))).isFalse();
        assertThat(errors.withStackTrace(new IllegalStateException("Connection refused"))).isFalse();
        // another failure, or the first one back after it, is news again
        assertThat(errors.withStackTrace(new IllegalStateException("Timeout"))).isTrue();
        assertThat(errors.withStackTrace(new IllegalArgumentException("Timeout"))).isTrue();
        assertThat(errors.withStackTrace(new IllegalStateException("Connection refused"))).isTrue();
        assertThat(errors.withStackTrace(new RuntimeException((String) null))).isTrue();
        assertThat(errors.withStackTrace(new RuntimeException((String) null))).isFalse();
    }

    @Test
    void aBlankComponentIsAConfigurationError() {
        assertThatThrownBy(() -> InternalErrors.forComponent(registry, " "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
