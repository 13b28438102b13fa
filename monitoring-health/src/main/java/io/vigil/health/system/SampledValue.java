package io.vigil.health.system;

/**
 * The latest sampled value of one series: written by the sampler thread, read by scrapes, so a scrape
 * never waits on the operating system. NaN until the first sample.
 */
final class SampledValue {

    private volatile double value = Double.NaN;

    double get() {
        return value;
    }

    void set(double value) {
        this.value = value;
    }
}
