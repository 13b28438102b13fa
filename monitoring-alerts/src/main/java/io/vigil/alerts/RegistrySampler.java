package io.vigil.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * Samples the registry exactly as {@code /metrics} shows it: it asks the {@link PrometheusMeterRegistry} for its
 * text exposition and reads that. Rendering and reading text costs a little more than walking the meters, but
 * only this gives the very names, label sets and {@code le} values a Prometheus server scrapes — common tags and
 * meter filters applied, Micrometer's naming convention and the Prometheus client's suffixes
 * ({@code _total}, {@code _bucket}, {@code _count}, {@code _sum}, {@code _max}, units) included — so that one
 * rule file means the same in process and in Prometheus, across Micrometer versions.
 */
final class RegistrySampler {

    private final PrometheusMeterRegistry registry;

    RegistrySampler(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** The registry's Prometheus view: the registry itself or the Prometheus member of a composite. */
    static PrometheusMeterRegistry prometheusOf(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return prometheus;
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry member : composite.getRegistries()) {
                PrometheusMeterRegistry found = member instanceof PrometheusMeterRegistry p ? p : null;
                if (found == null && member instanceof CompositeMeterRegistry) {
                    try {
                        found = prometheusOf(member);
                    } catch (IllegalArgumentException notThere) {
                        continue;
                    }
                }
                if (found != null) {
                    return found;
                }
            }
        }
        throw new IllegalArgumentException("the alert engine reads what /metrics shows: give it the "
                + "PrometheusMeterRegistry (or a CompositeMeterRegistry holding one), not a "
                + registry.getClass().getSimpleName());
    }

    /** One scrape into {@code store}, at the store's current tick. */
    void sampleInto(SeriesStore store) {
        String text = registry.scrape("text/plain; version=0.0.4; charset=utf-8");
        ExpositionText.forEachSample(text, store::scraped);
    }
}
