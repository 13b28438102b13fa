package io.vigil.servlet;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter's meter cache: the last method and status of a series are remembered by reference, and mixed traffic
 * (methods and statuses alternating, equal values in other String instances) still lands in exactly the right
 * series, on every registry of a composite.
 */
class HttpServerMetersTest {

    @Test
    void alternatingMethodsAndStatusesRecordIntoTheirOwnSeriesOnEveryRegistry() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(prometheus);
        composite.add(simple);
        HttpServerMeters meters = new HttpServerMeters(composite, UnaryOperator.identity(), 16);

        String[] methods = {"GET", "POST", "GET", "GET", new String("POST")};
        String[] statuses = {"200", "200", "404", new String("200"), "500"};
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < methods.length; i++) {
                Timer timer = meters.uri("/orders/{id}").method(methods[i]).timer(statuses[i],
                        i == 4 ? "IllegalStateException" : new String(HttpServerMeters.NO_EXCEPTION));
                timer.record(1, TimeUnit.MILLISECONDS);
            }
        }

        PrometheusScrape scrape = PrometheusScrape.parse(prometheus.scrape());
        String count = "http_server_requests_seconds_count";
        assertThat(scrape.series(count)).hasSize(4);
        assertThat(scrape.value(count, "method", "GET", "status", "200", "exception", "none")).isEqualTo(6);
        assertThat(scrape.value(count, "method", "POST", "status", "200", "exception", "none")).isEqualTo(3);
        assertThat(scrape.value(count, "method", "GET", "status", "404", "outcome", "CLIENT_ERROR")).isEqualTo(3);
        assertThat(scrape.value(count, "method", "POST", "status", "500", "exception", "IllegalStateException"))
                .isEqualTo(3);
        assertThat(simple.get("http.server.requests").tags("method", "GET", "status", "200").timer().count())
                .isEqualTo(6);
        assertThat(simple.get("http.server.requests").timers()).hasSize(4);
    }
}
