package io.vigil.servlet;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.cardinality.CardinalityLimits;
import io.vigil.core.testkit.PrometheusScrape;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A published route reaches its meters through a cache keyed by the route String: the same series as the long way
 * (limiter, then meters by uri) whatever String instance carries the route, the root spelled either way, and the
 * cache bounded by the uri cap however many routes an application publishes.
 */
class KnownRouteTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private static final FilterChain CHAIN = (request, response) -> { };

    /** A request publishing {@code route} in Vigil's route attribute; status 200 (a plain proxy). */
    private static HttpServletRequest request(String route) {
        return (HttpServletRequest) Proxy.newProxyInstance(KnownRouteTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getMethod" -> "GET";
                    case "getDispatcherType" -> DispatcherType.REQUEST;
                    case "getAttribute" -> MonitoringFilter.ROUTE_ATTRIBUTE.equals(args[0]) ? route : null;
                    case "getContentLengthLong" -> -1L;
                    case "isAsyncStarted" -> false;
                    case "getRequestURI" -> "/raw/path/never/a/tag";
                    case "getContextPath" -> "";
                    default -> null;
                });
    }

    private static HttpServletResponse response() {
        return (HttpServletResponse) Proxy.newProxyInstance(KnownRouteTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getStatus" -> 200;
                    case "isCommitted" -> true;
                    default -> null;
                });
    }

    private static void send(MonitoringFilter filter, String route, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            filter.doFilter(request(route), response(), CHAIN);
        }
    }

    @Test
    void aRouteInAnyStringInstanceAndTheRootEitherWayLandInOneSeriesEach() throws Exception {
        MonitoringFilter filter = MonitoringFilter.builder(registry).trackActiveUsers(false).build();
        send(filter, "/users/{id}", 3);
        send(filter, new String("/users/{id}"), 2); // equal text, another instance: the same series
        send(filter, "", 1);
        send(filter, "/", 4);

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        String count = "http_server_requests_seconds_count";
        assertThat(scrape.value(count, "uri", "/users/{id}", "status", "200")).isEqualTo(5);
        assertThat(scrape.value(count, "uri", "root", "status", "200")).isEqualTo(5);
        assertThat(scrape.series(count)).hasSize(2);
        assertThat(registry.scrape()).doesNotContain("/raw/path");
    }

    @Test
    void routesPastTheUriCapGoToOtherAndTheCacheStaysBounded() throws Exception {
        int cap = 5;
        MonitoringFilter filter = MonitoringFilter.builder(registry).trackActiveUsers(false)
                .cardinalityLimits(CardinalityLimits.builder().tag("uri", cap).build()).build();
        for (int round = 0; round < 2; round++) {
            for (int route = 0; route < 1_000; route++) {
                send(filter, "/generated/" + route, 1); // a new String each time, as a careless application makes
            }
        }

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        String count = "http_server_requests_seconds_count";
        for (int route = 0; route < cap; route++) {
            assertThat(scrape.value(count, "uri", "/generated/" + route)).as("route %d", route).isEqualTo(2);
        }
        assertThat(scrape.value(count, "uri", "OTHER")).isEqualTo(2 * (1_000 - cap));
        assertThat(scrape.series(count)).hasSize(cap + 1);
        HttpServerMeters meters = meters(filter);
        assertThat(meters.routesRemembered()).isLessThanOrEqualTo(cap + 2);
    }

    private static HttpServerMeters meters(MonitoringFilter filter) throws Exception {
        var recorderField = MonitoringFilter.class.getDeclaredField("recorder");
        recorderField.setAccessible(true);
        Object recorder = recorderField.get(filter);
        var metersField = RequestRecorder.class.getDeclaredField("meters");
        metersField.setAccessible(true);
        return (HttpServerMeters) metersField.get(recorder);
    }
}
