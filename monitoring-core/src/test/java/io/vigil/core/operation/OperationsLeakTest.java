package io.vigil.core.operation;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A scope that is never closed costs nothing that stays: nothing of Vigil's refers to it. */
class OperationsLeakTest {

    private static final String COUNT = "app_operation_duration_seconds_count";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Operations operations = Operations.register(registry);

    @Test
    void aScopeNeverClosedIsCollected() {
        operations.start("job").close();   // the name is known and the thread's pool holds one closed scope
        WeakReference<Operation> forgotten = startAndForget("job");
        assertThat(collected(forgotten)).as("the forgotten scope was garbage collected").isTrue();

        try (Operation later = operations.start("job")) {
            assertThat(later).isNotNull();
        }
        // The forgotten scope recorded nothing; the two closed ones did.
        assertThat(PrometheusScrape.parse(registry.scrape()).value(COUNT, "operation", "job")).isEqualTo(2);
    }

    @Test
    void millionsOfForgottenScopesDoNotGrowTheHeap() {
        for (int i = 0; i < 10_000; i++) {
            operations.start("job");   // warm up: meters registered, code compiled
        }
        long before = usedHeapAfterGc();
        for (int i = 0; i < 2_000_000; i++) {
            operations.start("job");   // never closed: a bug the application has
        }
        long after = usedHeapAfterGc();
        // Kept, 2 M scopes of 40 B would be 80 MB; the allowance is for GC noise only.
        assertThat(after - before).as("heap growth in bytes").isLessThan(8L * 1024 * 1024);
        assertThat(PrometheusScrape.parse(registry.scrape()).has(COUNT, "operation", "job")).isFalse();
    }

    @Test
    void aScopeClosedOnAnotherThreadIsNotReusedByEither() throws Exception {
        Operation handedOver = operations.start("handover");
        Thread other = new Thread(handedOver::close);
        other.start();
        other.join();
        try (Operation next = operations.start("handover")) {
            assertThat(next).isNotSameAs(handedOver);   // the pool only takes back its own thread's scopes
        }
        assertThat(PrometheusScrape.parse(registry.scrape()).value(COUNT, "operation", "handover")).isEqualTo(2);
    }

    private WeakReference<Operation> startAndForget(String name) {
        return new WeakReference<>(operations.start(name));
    }

    private static boolean collected(WeakReference<?> reference) {
        for (int i = 0; i < 50 && reference.get() != null; i++) {
            System.gc();
            List<byte[]> pressure = new ArrayList<>();
            for (int j = 0; j < 64; j++) {
                pressure.add(new byte[64 * 1024]);
            }
            pressure.clear();
        }
        return reference.get() == null;
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
        }
        return used;
    }
}
