package io.vigil.core.operation;

/**
 * One running measurement, from {@link Operations#start} to {@link #close()}; use it in a try-with-resources
 * block on the thread that started it, and let it go when the block ends.
 *
 * <pre>{@code
 * try (Operation op = operations.start("payment.authorize")) {
 *     Result result = gateway.authorize(order);
 *     if (result.declined()) {
 *         op.outcome("declined");
 *     }
 * } // app_operation_duration_seconds{operation="payment.authorize",outcome="success"|"declined",exception="none"}
 * }</pre>
 *
 * An exception that leaves the block is not visible to {@code close()} (Java does not pass it on): mark it with
 * {@code catch (PaymentException e) { throw op.failed(e); }} inside the block, or use {@link Operations#timed},
 * which sees it. Closing twice records once. A scope never closed records nothing and is garbage like any
 * other object: nothing else refers to it.
 */
public final class Operation implements AutoCloseable {

    /** {@code null} when Vigil could not start the measurement: then every method does nothing. */
    private final OperationMeters meters;
    private final long start;
    private String outcome;
    private String exception;
    private boolean closed;

    Operation(OperationMeters meters, long start) {
        this.meters = meters;
        this.start = start;
    }

    /**
     * Marks the operation failed: {@code outcome="error"}, {@code exception} the simple class name of
     * {@code error}. Returns {@code error} itself, so that {@code throw op.failed(e);} rethrows it unchanged.
     */
    public <T extends Throwable> T failed(T error) {
        if (meters != null && !closed) {
            try {
                exception = meters.owner().exception(error);
                outcome = OperationMeters.ERROR;
            } catch (Throwable own) {
                meters.owner().errors.record(own);
            }
        }
        return error;
    }

    /**
     * Sets the {@code outcome} tag ({@code "declined"}, {@code "not_found"}, …), from a small fixed set: values
     * beyond the cap (default {@value Operations#DEFAULT_OUTCOME_LIMIT}) become {@code OTHER}. The default is
     * {@code "success"}; a {@code null} or blank value is ignored. The last call wins.
     */
    public void outcome(String outcome) {
        if (meters != null && !closed && outcome != null && !outcome.isBlank()) {
            try {
                this.outcome = meters.owner().outcome(outcome);
            } catch (Throwable own) {
                meters.owner().errors.record(own);
            }
        }
    }

    /** Records the measurement (once). Never throws. */
    @Override
    public void close() {
        if (meters != null && !closed) {
            closed = true;
            meters.finish(start, outcome, exception);
        }
    }
}
