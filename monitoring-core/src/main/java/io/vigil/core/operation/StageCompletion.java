package io.vigil.core.operation;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;

/** Records an operation whose call returned a stage, when the stage completes. */
final class StageCompletion implements BiConsumer<Object, Throwable> {

    private final OperationMeters meters;
    private final long start;

    StageCompletion(OperationMeters meters, long start) {
        this.meters = meters;
        this.start = start;
    }

    @Override
    public void accept(Object value, Throwable failure) {
        if (failure == null) {
            meters.finish(start, null, null);
        } else {
            meters.failed(start, cause(failure));
        }
    }

    /**
     * What the application's code threw: a dependent stage sees it wrapped in a {@link CompletionException}
     * (and {@code get()} in an {@link ExecutionException}); only those wrappers are peeled, a few levels at most.
     */
    static Throwable cause(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; depth < 4; depth++) {
            Throwable cause = current.getCause();
            if (!(current instanceof CompletionException || current instanceof ExecutionException)
                    || cause == null || cause == current) {
                break;
            }
            current = cause;
        }
        return current;
    }
}
