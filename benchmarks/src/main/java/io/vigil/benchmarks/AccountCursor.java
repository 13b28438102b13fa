package io.vigil.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Each benchmark thread's own walk over the account ids 1 … {@link Accounts#COUNT}, so threads share no counter. */
@State(Scope.Thread)
public class AccountCursor {

    private int next;

    int nextAccount() {
        next = next == Accounts.COUNT ? 1 : next + 1;
        return next;
    }
}
