package io.vigil.core.catalog;

/** The Micrometer meter kind a catalog entry is registered as. */
public enum MeterType {
    COUNTER,
    GAUGE,
    TIMER,
    LONG_TASK_TIMER,
    DISTRIBUTION_SUMMARY
}
