package io.vigil.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SnapshotEscaper;
import io.prometheus.metrics.model.snapshots.StateSetSnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.vigil.alerts.promql.Labels;

import java.util.Set;

/**
 * Samples the registry exactly as {@code /metrics} shows it, without rendering text: it takes the same
 * {@link MetricSnapshots} the {@link PrometheusMeterRegistry} renders for a scrape ({@code
 * getPrometheusRegistry().scrape()}: common tags and meter filters applied, Micrometer's naming convention, any
 * collector registered with the Prometheus client) and names each sample as the client's text writer (format
 * 0.0.4, the default underscore escaping) does: counters' {@code _total}, {@code _info}, {@code _bucket} with
 * {@code le} cumulative and formatted as the writer formats it ({@code 2.5E-4}, {@code 1.0}, {@code +Inf}),
 * {@code _count}, {@code _sum}, {@code quantile}, state sets, gauge histograms' {@code _gcount}/{@code _gsum}, and
 * {@code _created} when the registry's exporter writes it. Reading the snapshots instead of the text saves
 * rendering and parsing some megabytes per tick; {@code RegistrySamplerTest} proves over every meter type that
 * both give the very same series and values.
 *
 * <p>Confined to the engine's evaluation thread: not thread-safe.
 */
final class RegistrySampler {

    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    /** Receives each sample of a scrape. */
    interface SampleSink {
        /**
         * One sample: {@code key} identifies its series (name and labels, 64 bits); {@code series} gives the labels
         * of the series it describes now, to be asked only for a key not seen before (building them allocates).
         */
        void sample(long key, ScrapedSeries series, double value);
    }

    /** The series a sample belongs to, valid during the {@link SampleSink#sample} call only. */
    interface ScrapedSeries {
        Labels labels();
    }

    private final PrometheusMeterRegistry registry;
    private final Cursor cursor = new Cursor();
    /** Whether the registry's text writer adds {@code _created} series: learned from it once, on first need. */
    private CreatedSeries created;

    private enum CreatedSeries {
        NONE, MILLIS, SECONDS
    }

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
        forEachSample(store::scraped);
    }

    /** Every sample {@code /metrics} shows now, in the order of the snapshots. */
    void forEachSample(SampleSink sink) {
        MetricSnapshots snapshots = registry.getPrometheusRegistry().scrape();
        for (MetricSnapshot snapshot : snapshots) {
            if (snapshot.getDataPoints().isEmpty()) {
                continue; // the writer skips a family without data points, metadata included
            }
            if (snapshot instanceof CounterSnapshot counter) {
                counter(counter, sink);
            } else if (snapshot instanceof GaugeSnapshot gauge) {
                cursor.name(SnapshotEscaper.getLegacyGaugeName(gauge.getMetadata(),
                        gauge.getMetadata().getOriginalName(), EscapingScheme.DEFAULT));
                for (GaugeSnapshot.GaugeDataPointSnapshot data : gauge.getDataPoints()) {
                    cursor.labels(data.getLabels());
                    emit(sink, data.getValue());
                }
            } else if (snapshot instanceof HistogramSnapshot histogram) {
                histogram(histogram, sink);
            } else if (snapshot instanceof SummarySnapshot summary) {
                summary(summary, sink);
            } else if (snapshot instanceof InfoSnapshot info) {
                cursor.name(expositionName(info.getMetadata(), "_info"));
                for (InfoSnapshot.InfoDataPointSnapshot data : info.getDataPoints()) {
                    cursor.labels(data.getLabels());
                    emit(sink, 1);
                }
            } else if (snapshot instanceof StateSetSnapshot stateSet) {
                stateSet(stateSet, sink);
            } else if (snapshot instanceof UnknownSnapshot unknown) {
                cursor.name(unknown.getMetadata().getPrometheusName());
                for (UnknownSnapshot.UnknownDataPointSnapshot data : unknown.getDataPoints()) {
                    cursor.labels(data.getLabels());
                    emit(sink, data.getValue());
                }
            }
        }
    }

    private void counter(CounterSnapshot counter, SampleSink sink) {
        String name = expositionName(counter.getMetadata(), "_total");
        cursor.name(name);
        for (CounterSnapshot.CounterDataPointSnapshot data : counter.getDataPoints()) {
            cursor.labels(data.getLabels());
            emit(sink, data.getValue());
        }
        String base = name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
        created(counter, base, sink);
    }

    private void histogram(HistogramSnapshot histogram, SampleSink sink) {
        String name = histogram.getMetadata().getPrometheusName();
        boolean gauge = histogram.isGaugeHistogram();
        String bucketName = name + "_bucket";
        String countName = name + (gauge ? "_gcount" : "_count");
        String sumName = name + (gauge ? "_gsum" : "_sum");
        for (HistogramSnapshot.HistogramDataPointSnapshot data : histogram.getDataPoints()) {
            cursor.labels(data.getLabels());
            cursor.name(bucketName);
            ClassicHistogramBuckets buckets = data.getClassicBuckets();
            if (buckets.isEmpty()) {
                cursor.extra("le", Double.POSITIVE_INFINITY);
                emit(sink, data.getCount());
            } else {
                long cumulative = 0;
                for (int i = 0; i < buckets.size(); i++) {
                    cumulative += buckets.getCount(i);
                    cursor.extra("le", buckets.getUpperBound(i));
                    emit(sink, cumulative);
                }
            }
            cursor.noExtra();
            if (data.hasCount()) {
                cursor.name(countName);
                emit(sink, data.getCount());
            }
            if (data.hasSum()) {
                cursor.name(sumName);
                emit(sink, data.getSum());
            }
        }
        created(histogram, name, sink);
    }

    private void summary(SummarySnapshot summary, SampleSink sink) {
        String name = summary.getMetadata().getPrometheusName();
        String countName = name + "_count";
        String sumName = name + "_sum";
        for (SummarySnapshot.SummaryDataPointSnapshot data : summary.getDataPoints()) {
            cursor.labels(data.getLabels());
            cursor.name(name);
            for (Quantile quantile : data.getQuantiles()) {
                cursor.extra("quantile", quantile.getQuantile());
                emit(sink, quantile.getValue());
            }
            cursor.noExtra();
            if (data.hasCount()) {
                cursor.name(countName);
                emit(sink, data.getCount());
            }
            if (data.hasSum()) {
                cursor.name(sumName);
                emit(sink, data.getSum());
            }
        }
        created(summary, name, sink);
    }

    private void stateSet(StateSetSnapshot stateSet, SampleSink sink) {
        String name = stateSet.getMetadata().getPrometheusName();
        cursor.name(name);
        for (StateSetSnapshot.StateSetDataPointSnapshot data : stateSet.getDataPoints()) {
            cursor.labels(data.getLabels());
            for (int i = 0; i < data.size(); i++) {
                cursor.extra(name, data.getName(i));
                emit(sink, data.isTrue(i) ? 1 : 0);
            }
            cursor.noExtra();
        }
    }

    /** The writer's {@code _created} series of a counter, histogram or summary, when it writes them. */
    private void created(MetricSnapshot snapshot, String baseName, SampleSink sink) {
        boolean named = false;
        for (DataPointSnapshot data : snapshot.getDataPoints()) {
            if (!data.hasCreatedTimestamp()) {
                continue;
            }
            if (created == null) {
                created = probeCreated(snapshot.getMetadata().getPrometheusName(), baseName + "_created");
            }
            if (created == CreatedSeries.NONE) {
                return;
            }
            if (!named) {
                cursor.name(baseName + "_created");
                named = true;
            }
            cursor.labels(data.getLabels());
            long millis = data.getCreatedTimestampMillis();
            // "1733000000.123" read back is exactly millis / 1000 (one correctly rounded division of exact values).
            emit(sink, created == CreatedSeries.MILLIS ? (double) millis : millis / 1000.0);
        }
    }

    /**
     * Whether the registry's text writer adds {@code _created} series, and in which unit: its configuration
     * ({@code io.prometheus.exporter.include_created_timestamps}, {@code prometheus_timestamps_in_ms}, from the
     * registry's config, system properties, the environment or {@code prometheus.properties}) is not readable,
     * so one family that has created timestamps is rendered once and looked at.
     */
    private CreatedSeries probeCreated(String family, String createdName) {
        String text = registry.scrape(TEXT_FORMAT, Set.of(family));
        for (String line : text.split("\n")) {
            if (line.startsWith(createdName + "{") || line.startsWith(createdName + " ")) {
                // The value follows the key, whose label values may hold quoted spaces and escapes.
                int pos = createdName.length();
                for (boolean quoted = false; pos < line.length() && (quoted || line.charAt(pos) != ' '); pos++) {
                    char c = line.charAt(pos);
                    if (quoted && c == '\\') {
                        pos++;
                    } else if (c == '"') {
                        quoted = !quoted;
                    }
                }
                int valueEnd = line.indexOf(' ', pos + 1);
                String value = line.substring(pos + 1, valueEnd < 0 ? line.length() : valueEnd);
                return value.indexOf('.') >= 0 ? CreatedSeries.SECONDS : CreatedSeries.MILLIS;
            }
        }
        return CreatedSeries.NONE;
    }

    private void emit(SampleSink sink, double value) {
        // The text says "NaN" for every NaN, which reads back as the one canonical NaN: never a staleness marker.
        sink.sample(cursor.key(), cursor, Double.isNaN(value) ? Double.NaN : value);
    }

    /**
     * The writer's name for a counter ({@code _total}) or info ({@code _info}) family: the name as given when it
     * already ends with the suffix, else the Prometheus name plus the suffix.
     */
    private static String expositionName(MetricMetadata metadata, String suffix) {
        String base = metadata.getExpositionBasePrometheusName();
        return base.endsWith(suffix) ? base : metadata.getPrometheusName() + suffix;
    }

    /**
     * The series being emitted: a name, the data point's labels and at most one extra label ({@code le},
     * {@code quantile}, a state). Its 64-bit key hashes exactly what the text line's {@code name{labels}} is
     * made of — the labels' characters once per data point, the name once per name, the extra label's value as
     * its bits — so a steady scrape allocates nothing to find its series again. Two different series sharing a
     * key among the few thousands of one registry is vanishingly unlikely (about 10⁻¹¹ at 40,000 series), and would
     * at worst attribute one series' samples to another.
     */
    private static final class Cursor implements ScrapedSeries {
        private String name;
        private long nameHash;
        private io.prometheus.metrics.model.snapshots.Labels labels;
        private long labelsHash;
        private String extraName;
        private double extraNumber;
        private String extraText;
        private long extraHash;

        void name(String name) {
            if (!name.equals(this.name)) {
                this.name = name;
                this.nameHash = Fnv.string(Fnv.START, name);
            }
        }

        void labels(io.prometheus.metrics.model.snapshots.Labels labels) {
            this.labels = labels;
            long h = Fnv.START;
            for (int i = 0; i < labels.size(); i++) {
                h = Fnv.string(h, labels.getPrometheusName(i));
                h = Fnv.string(h, labels.getValue(i));
            }
            this.labelsHash = h;
            noExtra();
        }

        /** A number label, formatted as the writer formats it (only when the labels are built). */
        void extra(String name, double value) {
            this.extraName = name;
            this.extraText = null;
            this.extraNumber = value;
            this.extraHash = Fnv.mix(Fnv.string(Fnv.START, name), Double.doubleToLongBits(value));
        }

        void extra(String name, String value) {
            this.extraName = name;
            this.extraText = value;
            this.extraHash = Fnv.string(Fnv.string(Fnv.START, name), value);
        }

        void noExtra() {
            this.extraName = null;
            this.extraText = null;
            this.extraHash = 0;
        }

        long key() {
            long h = Fnv.mix(Fnv.mix(nameHash, labelsHash), extraHash);
            return h == 0 ? 1 : h; // 0 marks an empty slot of the store's index
        }

        @Override
        public Labels labels() {
            int n = labels.size();
            String[] pairs = new String[2 * n + (extraName == null ? 2 : 4)];
            // The text's order, so that a repeated label name ends the same (the last one wins in both).
            pairs[0] = Labels.METRIC_NAME;
            pairs[1] = name;
            for (int i = 0; i < n; i++) {
                pairs[2 + 2 * i] = labels.getPrometheusName(i);
                pairs[3 + 2 * i] = labels.getValue(i);
            }
            if (extraName != null) {
                pairs[2 + 2 * n] = extraName;
                pairs[3 + 2 * n] = extraText != null ? extraText : formatDouble(extraNumber);
            }
            return Labels.of(pairs);
        }
    }

    /** As the Prometheus client's text writer writes a double. */
    static String formatDouble(double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        return Double.toString(d);
    }

    /** 64-bit FNV-1a over strings (length-prefixed, so that concatenations cannot collide), and a mixer. */
    static final class Fnv {
        static final long START = 0xcbf29ce484222325L;
        private static final long PRIME = 0x100000001b3L;

        private Fnv() {
        }

        static long string(long h, String s) {
            int length = s.length();
            h = (h ^ length) * PRIME;
            for (int i = 0; i < length; i++) {
                h = (h ^ s.charAt(i)) * PRIME;
            }
            return h;
        }

        /** Combines two 64-bit hashes, order mattering (MurmurHash3's finalizer over a multiply-add). */
        static long mix(long a, long b) {
            long h = a * 0x9E3779B97F4A7C15L + b;
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            h ^= h >>> 33;
            return h;
        }
    }
}
