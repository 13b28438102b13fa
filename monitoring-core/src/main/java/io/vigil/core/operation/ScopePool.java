package io.vigil.core.operation;

/**
 * The closed {@link Operation} objects of one thread, reused by the next scopes that thread starts, so a scope
 * costs no allocation in steady state whatever the JIT decides. Only closed scopes are held: an open one is
 * referenced by its caller alone, so a scope that is never closed is garbage like any object, and the pool
 * allocates a replacement once. At most {@link #CAPACITY} scopes are kept per thread (deeper nesting allocates).
 * Touched only by its thread: a scope closed on another thread is dropped, not returned.
 */
final class ScopePool {

    static final int CAPACITY = 16;

    private final Thread thread = Thread.currentThread();
    private final Operation[] free = new Operation[CAPACITY];
    private int size;

    /** A closed scope to reuse, or a new one when none is free. */
    Operation take() {
        if (size > 0) {
            Operation operation = free[--size];
            free[size] = null;
            return operation;
        }
        return new Operation(this);
    }

    /** Keeps {@code operation} for reuse when called on this pool's thread and there is room. */
    void give(Operation operation) {
        if (Thread.currentThread() == thread && size < CAPACITY) {
            free[size++] = operation;
        }
    }
}
