package io.vigil.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The end-of-trial checks of the filter benchmarks fail the run when a variant's registry did not count what
 * that variant was sent: a peer (or Vigil) that silently stopped recording would otherwise look cheap.
 */
class PeerVerificationTest {

    @Test
    void servletFilterBenchmarkPassesWhenEveryVariantCountedItsRequests() throws Exception {
        ServletFilterBenchmark benchmark = started();
        assertThatCode(benchmark::verifyCounts).doesNotThrowAnyException();
    }

    @Test
    void servletFilterBenchmarkFailsWhenSpringsRegistryMissedRequests() throws Exception {
        ServletFilterBenchmark benchmark = started();
        benchmark.springRegistry.clear();
        assertThatThrownBy(benchmark::verifyCounts)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("springObservation counted 0 of 5 requests");
    }

    @Test
    void servletFilterBenchmarkFailsWhenVigilsRegistryMissedRequests() throws Exception {
        ServletFilterBenchmark benchmark = started();
        benchmark.registry.clear();
        assertThatThrownBy(benchmark::verifyCounts)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("vigil counted 0 of 4 requests");
    }

    @Test
    void servletFilterBenchmarkFailsWhenARequestWentUncounted() throws Exception {
        ServletFilterBenchmark benchmark = started();
        // one more request in Vigil's series than the benchmark sent
        benchmark.registry.find("http.server.requests").tags("uri", "/api/v1/users/{id}", "status", "200")
                .timer().record(java.time.Duration.ofMillis(1));
        assertThatThrownBy(benchmark::verifyCounts)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("vigil counted 5 of 4 requests");
    }

    /** Set up (one request per variant and workload) plus three more sync requests to each instrumented variant. */
    private static ServletFilterBenchmark started() throws Exception {
        ServletFilterBenchmark benchmark = new ServletFilterBenchmark();
        benchmark.setUp();
        for (int i = 0; i < 3; i++) {
            benchmark.sync_vigil();
            benchmark.sync_springObservation();
        }
        return benchmark;
    }

    @Test
    void jettyLocalConnectorBenchmarkPassesWhenEveryVariantCountedItsRequests() throws Exception {
        for (JettyLocalConnectorBenchmark.Running variant : variants()) {
            variant.start();
            variant.hello();
            variant.hello();
            assertThatCode(variant::stop).as(variant.variant().name()).doesNotThrowAnyException();
        }
    }

    @Test
    void jettyLocalConnectorBenchmarkFailsWhenAPeersRegistryMissedRequests() throws Exception {
        for (JettyLocalConnectorBenchmark.Running variant : variants()) {
            if (variant.variant() == JettyApps.Variant.bare) {
                continue; // nothing to miss
            }
            variant.start();
            variant.hello();
            variant.app.registry().clear();
            assertThatThrownBy(variant::stop).as(variant.variant().name())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(variant.variant() + " counted 0 requests of the 2");
        }
    }

    private static JettyLocalConnectorBenchmark.Running[] variants() {
        return new JettyLocalConnectorBenchmark.Running[] {
            new JettyLocalConnectorBenchmark.Bare(), new JettyLocalConnectorBenchmark.Vigil(),
            new JettyLocalConnectorBenchmark.SpringObservation(), new JettyLocalConnectorBenchmark.TimedHandler()};
    }
}
