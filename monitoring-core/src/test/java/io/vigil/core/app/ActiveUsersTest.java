package io.vigil.core.app;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.testkit.PrometheusScrape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ActiveUsersTest {

    private final MockClock clock = new MockClock();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT,
            new io.prometheus.metrics.model.registry.PrometheusRegistry(), clock);

    @Test
    void stateIsAtMost16KiBPerWindow() {
        assertThat(SlidingDistinctCounter.stateBytes()).isLessThanOrEqualTo(16 * 1024);
    }

    @Test
    void withinTwoPercentAtOneMillionDistinctUsers() {
        ActiveUsers users = ActiveUsers.register(registry, List.of(Duration.ofHours(1)), clock);
        for (int i = 0; i < 1_000_000; i++) {
            users.seen("user-" + i);
        }
        for (int i = 0; i < 1_000_000; i += 3) {
            users.seen("user-" + i); // repeat visits do not count again
        }
        assertThat((double) users.estimate("1h")).isCloseTo(1_000_000, within(20_000.0));
    }

    @Test
    void typicalErrorIsUnderTwoPercentAndNoPopulationIsOffByMoreThanFour() {
        // One estimate is one draw of the sketch's ~1.2 % error; eight populations of differently shaped names
        // (ids, e-mails, UUID-like keys) show its typical size, and bound the worst at about 3.3 standard errors.
        int n = 100_000;
        double sumOfErrors = 0;
        for (int population = 0; population < 8; population++) {
            ActiveUsers users = ActiveUsers.register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    List.of(Duration.ofMinutes(5)), clock);
            for (int i = 0; i < n; i++) {
                users.seen(switch (population % 3) {
                    case 0 -> "user-" + population + "-" + i;
                    case 1 -> "customer" + i + "@tenant" + population + ".example.com";
                    default -> Long.toHexString(i * 0x9E3779B97F4A7C15L + population) + "-key";
                });
            }
            double error = Math.abs(users.estimate("5m") - n) / (double) n;
            assertThat(error).as("population %d", population).isLessThan(0.04);
            sumOfErrors += error;
        }
        assertThat(sumOfErrors / 8).isLessThan(0.02);
    }

    @Test
    void twoNamesWithEqualStringHashCodesCountOnceTheDocumentedPriceOfA32BitIdentity() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        ActiveUsers users = ActiveUsers.register(registry, List.of(Duration.ofMinutes(5)), clock);
        users.seen("Aa");
        users.seen("BB");
        assertThat(users.estimate("5m")).isEqualTo(1);
        users.seen("Ab");
        assertThat(users.estimate("5m")).isEqualTo(2);
    }

    @Test
    void withinTwoPercentAcrossSmallPopulations() {
        // Small populations are counted by the registers left empty (linear counting), far tighter than the
        // sketch's ~1.2 % standard error; larger ones are judged on their typical error, below.
        for (int n : new int[] {10, 1_000, 5_000}) {
            ActiveUsers users = ActiveUsers.register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    List.of(Duration.ofMinutes(5)), clock);
            for (int i = 0; i < n; i++) {
                users.seen("account:" + i + ":" + n);
            }
            assertThat((double) users.estimate("5m")).as("n=%d", n).isCloseTo(n, within(Math.max(1, n * 0.02)));
        }
    }

    @Test
    void usersAgeOutOfTheSlidingWindow() {
        ActiveUsers users = ActiveUsers.register(registry, List.of(Duration.ofMinutes(4)), clock);
        for (int i = 0; i < 1_000; i++) {
            users.seen("early-" + i);
        }
        clock.add(2, TimeUnit.MINUTES);
        for (int i = 0; i < 500; i++) {
            users.seen("late-" + i);
        }
        assertThat(users.estimate("4m")).isBetween(1_470L, 1_530L);

        clock.add(3, TimeUnit.MINUTES); // the early ones are now 5 minutes old, the late ones 3
        assertThat(users.estimate("4m")).isBetween(490L, 510L);

        clock.add(10, TimeUnit.MINUTES);
        assertThat(users.estimate("4m")).isZero();
    }

    @Test
    void slidesAlsoOnANegativeMonotonicClock() {
        // System.nanoTime() may be negative; quarters are floor-divided, so the window slides as on a positive one
        MockClock negative = new MockClock();
        negative.add(-3, TimeUnit.HOURS);
        ActiveUsers users = ActiveUsers.register(registry, List.of(Duration.ofMinutes(4)), negative);
        for (int i = 0; i < 1_000; i++) {
            users.seen("early-" + i);
        }
        negative.add(2, TimeUnit.MINUTES);
        for (int i = 0; i < 500; i++) {
            users.seen("late-" + i);
        }
        assertThat(users.estimate("4m")).isBetween(1_470L, 1_530L);
        negative.add(3, TimeUnit.MINUTES);
        assertThat(users.estimate("4m")).isBetween(490L, 510L);
        negative.add(10, TimeUnit.MINUTES);
        assertThat(users.estimate("4m")).isZero();
    }

    @Test
    void publishesOneGaugePerWindowAndNeverThePrincipal() {
        ActiveUsers users = ActiveUsers.register(registry, List.of(Duration.ofMinutes(5), Duration.ofHours(1)), clock);
        users.seen("alice@example.com");
        users.seen("bob");
        users.seen("bob");
        users.seen(null);
        users.seen("");

        String text = registry.scrape();
        PrometheusScrape scrape = PrometheusScrape.parse(text);
        assertThat(scrape.value("users_active", "window", "5m")).isEqualTo(2);
        assertThat(scrape.value("users_active", "window", "1h")).isEqualTo(2);
        assertThat(text).doesNotContain("alice").doesNotContain("bob");
        assertThat(users.windows()).containsExactly("5m", "1h");
    }

    @Test
    void aRegistryHasOneInstanceSoEveryFeederReachesTheGauge() {
        ActiveUsers first = ActiveUsers.register(registry);
        ActiveUsers second = ActiveUsers.register(registry, List.of(Duration.ofMinutes(5), Duration.ofHours(1)));
        assertThat(second).isSameAs(first);
        second.seen("carol");
        assertThat(PrometheusScrape.parse(registry.scrape()).value("users_active", "window", "5m")).isEqualTo(1);
        assertThatThrownBy(() -> ActiveUsers.register(registry, List.of(Duration.ofMinutes(15))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already published");
        assertThat(ActiveUsers.register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))).isNotSameAs(first);
    }

    @Test
    void badWindowsFailAtConfigurationTime() {
        PrometheusMeterRegistry fresh = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertThatThrownBy(() -> ActiveUsers.register(fresh, List.of(Duration.ofMillis(10))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 4 s and 31 days");
        assertThatThrownBy(() -> ActiveUsers.register(fresh, List.of(Duration.ofMinutes(60), Duration.ofHours(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ActiveUsers.register(fresh, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowNames() {
        assertThat(ActiveUsers.windowName(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(ActiveUsers.windowName(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(ActiveUsers.windowName(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(ActiveUsers.windowName(Duration.ofDays(1))).isEqualTo("1d");
    }
}
