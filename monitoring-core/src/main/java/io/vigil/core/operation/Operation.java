package io.vigil.core.operation;

/**
 * One running measurement, from {@link Operations#start} to {@link #close()}; use it in a try-with-resources
 * block and let it go when the block ends.
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
 * which sees it. Closing twice records once.
 *
 * <p>The object is reused by a later scope of the same thread once closed, which is why a scope allocates
 * nothing: do not keep or use it after {@code close()}. A scope that is never closed records nothing, and
 * nothing of Vigil's refers to it: it is collected as garbage.
 */
public final class Operation implements AutoCloseable {

    /** Where this object goes back when closed; {@code null} for the one handed out when Vigil failed. */
    private final ScopePool pool;
    /** {@code null} when not running, or when Vigil could not start the measurement. */
    private OperationMeters meters;
    private long start;
    private String outcome;
    private String exception;

    Operation(ScopePool pool) {
        this.pool = pool;
    }

    /** Starts measuring into {@code meters} from {@code start} (both from a successful start). */
    Operation open(OperationMeters meters, long start) {
        this.meters = meters;
        this.start = start;
        this.outcome = null;
        this.exception = null;
        return this;
    }

    /**
     * Marks the operation failed: {@code outcome="error"}, {@code exception} the simple class name of
     * {@code error}. Returns {@code error} itself, so that {@code throw op.failed(e);} rethrows it unchanged.
     */
    public <T extends Throwable> T failed(T error) {
        OperationMeters running = meters;
        if (running != null) {
            try {
                exception = running.owner().exception(error);
                outcome = OperationMeters.ERROR;
            } catch (Throwable own) {
                running.owner().errors.record(own);
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
        OperationMeters running = meters;
        if (running != null && outcome != null && !outcome.isBlank()) {
            try {
                this.outcome = running.owner().outcome(outcome);
            } catch (Throwable own) {
                running.owner().errors.record(own);
            }
        }
    }

    /** Records the measurement (once). Never throws. */
    @Override
    public void close() {
        OperationMeters running = meters;
        if (running == null) {
            return;
        }
        meters = null;
        running.finish(start, outcome, exception);
        outcome = null;
        exception = null;
        if (pool != null) {
            pool.give(this);
        }
    }
}
