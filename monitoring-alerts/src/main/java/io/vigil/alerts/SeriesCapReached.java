package io.vigil.alerts;

/** Counted once per series the store turned away at its cap: cheap, no stack trace. */
final class SeriesCapReached extends RuntimeException {

    private static final long serialVersionUID = 1L;

    static final SeriesCapReached INSTANCE = new SeriesCapReached();

    private SeriesCapReached() {
        super("the alert engine's series store is full (maxSeries); new series are not evaluated", null, false, false);
    }
}
