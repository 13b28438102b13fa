package io.vigil.alerts;

/**
 * Caps on what one request may carry, so a hostile or broken client cannot make the API hold unbounded memory:
 * bytes of a body, alerts in one POST, labels (and annotations) per alert, characters of a label name or value,
 * characters of an annotation value, and filter matchers per query.
 */
record ApiLimits(int maxBodyBytes, int maxAlertsPerRequest, int maxLabelsPerAlert, int maxLabelLength,
                 int maxAnnotationLength, int maxFilters) {

    /** Generous for Prometheus (it sends at most 64 alerts per request by default) and amtool. */
    static final ApiLimits DEFAULTS = new ApiLimits(4 << 20, 1_000, 128, 1_024, 16_384, 64);
}
