package io.vigil.core.cardinality;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.catalog.MetricCatalog;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CardinalityGuardTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void admitsUpToTheCapThenFoldsIntoOtherAndCountsEachOverflow() {
        CardinalityGuard guard = CardinalityGuard.create(registry,
                CardinalityLimits.builder().tag(MetricCatalog.HTTP_SERVER_RATE_LIMITED, "uri", 3).build());
        TagLimiter uris = guard.limiter(MetricCatalog.HTTP_SERVER_RATE_LIMITED, "uri");

        assertThat(uris.limit("/a")).isEqualTo("/a");
        assertThat(uris.limit("/b")).isEqualTo("/b");
        assertThat(uris.limit("/a")).isEqualTo("/a");
        assertThat(uris.limit("/c")).isEqualTo("/c");
        assertThat(uris.limit("/d")).isEqualTo("OTHER");
        assertThat(uris.limit("/e")).isEqualTo("OTHER");
        assertThat(uris.limit("/b")).isEqualTo("/b");
        assertThat(uris.limit("OTHER")).isEqualTo("OTHER");

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.value("vigil_cardinality_overflow_total", "meter", "http.server.rate.limited", "tag", "uri"))
                .isEqualTo(2);
        assertThat(uris.admittedCount()).isEqualTo(3);
    }

    @Test
    void oneLimiterPerMeterAndTag() {
        CardinalityGuard guard = CardinalityGuard.create(registry);
        assertThat(guard.limiter(MetricCatalog.BUSINESS_EVENTS, "event"))
                .isSameAs(guard.limiter(MetricCatalog.BUSINESS_EVENTS, "event"));
        assertThat(guard.limiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri").limit()).isEqualTo(100);
        assertThat(guard.limiter(MetricCatalog.BUSINESS_EVENTS, "event").limit()).isEqualTo(100);
    }

    @Test
    void buffersAreLookedUpByContentAndShareTheCapWithStrings() {
        CardinalityGuard guard = CardinalityGuard.create(registry,
                CardinalityLimits.builder().tag(MetricCatalog.HTTP_SERVER_RATE_LIMITED, "uri", 2).build());
        TagLimiter uris = guard.limiter(MetricCatalog.HTTP_SERVER_RATE_LIMITED, "uri");
        String first = uris.limit("/a");

        assertThat(uris.limit(new StringBuilder("/a"))).isSameAs(first);
        String second = uris.limit(new StringBuilder("/b"));
        assertThat(second).isEqualTo("/b");
        assertThat(uris.limit(new StringBuilder("/b"))).isSameAs(second);
        assertThat(uris.limit("/b")).isSameAs(second);
        assertThat(uris.limit(new StringBuilder("/c"))).isEqualTo("OTHER");
        assertThat(uris.limit((CharSequence) "/a")).isSameAs(first);
        assertThat(uris.admittedCount()).isEqualTo(2);
        assertThat(PrometheusScrape.parse(registry.scrape()).value("vigil_cardinality_overflow_total",
                "meter", "http.server.rate.limited")).isEqualTo(1);
    }

    @Test
    void charBuffersAreLookedUpByContentAndShareTheCapWithStrings() {
        CardinalityGuard guard = CardinalityGuard.create(registry,
                CardinalityLimits.builder().tag(MetricCatalog.HTTP_SERVER_RATE_LIMITED, "uri", 2).build());
        TagLimiter uris = guard.limiter(MetricCatalog.HTTP_SERVER_RATE_LIMITED, "uri");
        String first = uris.limit("/a");
        char[] buffer = "/a/b/cXXXX".toCharArray();   // only the first `length` characters count

        assertThat(uris.limit(buffer, 2)).isSameAs(first);
        String second = uris.limit(buffer, 4);
        assertThat(second).isEqualTo("/a/b");
        assertThat(uris.limit(buffer, 4)).isSameAs(second).isSameAs(uris.limit("/a/b"));
        assertThat(uris.limit(buffer, 6)).isEqualTo("OTHER");
        assertThat(uris.admittedCount()).isEqualTo(2);
    }

    @Test
    void buffersWhoseHashesCollideAreToldApartByTheirCharacters() {
        CardinalityGuard guard = CardinalityGuard.create(registry,
                CardinalityLimits.builder().tag(MetricCatalog.HTTP_SERVER_RATE_LIMITED, "uri", 2).build());
        TagLimiter uris = guard.limiter(MetricCatalog.HTTP_SERVER_RATE_LIMITED, "uri");
        assertThat("/Aa".hashCode()).isEqualTo("/BB".hashCode());   // same slot, so the probe compares content
        String aa = uris.limit("/Aa");
        String bb = uris.limit("/BB");

        assertThat(uris.limit("/BB".toCharArray(), 3)).isSameAs(bb);
        assertThat(uris.limit("/Aa".toCharArray(), 3)).isSameAs(aa);
        assertThat(uris.limit("/Aa/".toCharArray(), 3)).isSameAs(aa);
        assertThat(uris.limit("/Ab".toCharArray(), 3)).isEqualTo("OTHER");
        assertThat(uris.limit("/B".toCharArray(), 2)).isEqualTo("OTHER");
    }

    @Test
    void theHashOfABufferIsThatOfTheStringSoBothMeetInOneSlot() {
        java.util.Random random = new java.util.Random(15);
        for (int length = 0; length < 70; length++) {
            char[] chars = new char[length + 3];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x10000));
            }
            assertThat(TagLimiter.hash(chars, length)).as("length %d", length)
                    .isEqualTo(new String(chars, 0, length).hashCode());
        }
    }

    @Test
    void nullBecomesNone() {
        TagLimiter limiter = CardinalityGuard.create(registry).limiter(MetricCatalog.BUSINESS_EVENTS, "event");
        assertThat(limiter.limit(null)).isEqualTo("none");
    }

    @Test
    void badConfigurationFailsClearly() {
        CardinalityGuard guard = CardinalityGuard.create(registry);
        assertThatThrownBy(() -> guard.limiter(MetricCatalog.BUSINESS_EVENTS, "uri"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no tag 'uri'");
        assertThatThrownBy(() -> CardinalityLimits.builder().defaultLimit(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 and 100000");
        assertThatThrownBy(() -> CardinalityLimits.builder().tag(MetricCatalog.CACHE_PUTS, "uri", 5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exactUnderConcurrency() throws Exception {
        int cap = 100;
        int threads = 8;
        int perThread = 100_000;
        CardinalityGuard guard = CardinalityGuard.create(registry, CardinalityLimits.builder().tag("uri", cap).build());
        TagLimiter limiter = guard.limiter(MetricCatalog.HTTP_SERVER_REQUESTS, "uri");
        // The adapter's side: one counter per returned tag value, as a filter would keep one timer per value.
        ConcurrentHashMap<String, Counter> series = new ConcurrentHashMap<>();
        LongAdder overflowRecords = new LongAdder();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        // Each thread's values are distinct from every other thread's, and the first few
                        // hundred collide across threads to race the admission of the same value.
                        String value = i < 300 ? "/shared/" + i : "/t" + thread + "/" + i;
                        String tag = limiter.limit(value);
                        if (tag.equals(CardinalityGuard.OVERFLOW)) {
                            overflowRecords.increment();
                        }
                        series.computeIfAbsent(tag, v -> MetricCatalog.HTTP_SERVER_RATE_LIMITED.counter(registry,
                                Tags.of("uri", v))).increment();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        PrometheusScrape scrape = PrometheusScrape.parse(registry.scrape());
        assertThat(scrape.series("http_server_rate_limited_total")).hasSize(cap + 1);
        assertThat(scrape.labelValues("http_server_rate_limited_total", "uri")).contains("OTHER");
        assertThat(scrape.sum("http_server_rate_limited_total")).isEqualTo(threads * perThread);
        double overflow = scrape.value("vigil_cardinality_overflow_total", "meter", "http.server.requests",
                "tag", "uri");
        assertThat(overflow).isEqualTo(overflowRecords.sum());
        assertThat(scrape.value("http_server_rate_limited_total", "uri", "OTHER")).isEqualTo(overflow);
        assertThat(limiter.admittedCount()).isEqualTo(cap);
    }
}
