package io.vigil.core.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

import java.util.ArrayList;
import java.util.List;

/**
 * The tags every meter of a service carries — {@code service}, {@code instance}, {@code env} — applied
 * through a {@link MeterFilter} so adapters never repeat them. Apply before any meter is registered:
 * Micrometer filters do not rewrite meters that already exist.
 *
 * <pre>{@code
 * CommonTags.builder().service("checkout").env("prod").instance(hostname).build().applyTo(registry);
 * }</pre>
 */
public final class CommonTags {

    private final List<Tag> tags;

    private CommonTags(List<Tag> tags) {
        this.tags = List.copyOf(tags);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Tag> tags() {
        return tags;
    }

    public MeterFilter filter() {
        return MeterFilter.commonTags(tags);
    }

    public void applyTo(MeterRegistry registry) {
        registry.config().meterFilter(filter());
    }

    public static final class Builder {
        private String service;
        private String instance;
        private String env;

        private Builder() {
        }

        public Builder service(String service) {
            this.service = required("service", service);
            return this;
        }

        public Builder instance(String instance) {
            this.instance = required("instance", instance);
            return this;
        }

        public Builder env(String env) {
            this.env = required("env", env);
            return this;
        }

        public CommonTags build() {
            if (service == null) {
                throw new IllegalStateException("CommonTags needs at least the service name");
            }
            List<Tag> tags = new ArrayList<>();
            tags.add(Tag.of("service", service));
            if (instance != null) {
                tags.add(Tag.of("instance", instance));
            }
            if (env != null) {
                tags.add(Tag.of("env", env));
            }
            return new CommonTags(tags);
        }

        private static String required(String key, String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("Common tag '" + key + "' must not be blank");
            }
            return value;
        }
    }
}
