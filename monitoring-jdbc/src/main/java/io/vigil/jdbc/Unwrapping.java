package io.vigil.jdbc;

import java.sql.SQLException;
import java.sql.Wrapper;

/**
 * The JDBC {@link Wrapper} contract shared by every monitored wrapper: {@code unwrap} and {@code isWrapperFor}
 * reach the wrapped driver (or pool) object first, then whatever that object itself wraps.
 */
final class Unwrapping {

    private Unwrapping() {
    }

    static <T> T unwrap(Wrapper delegate, Class<T> iface) throws SQLException {
        if (iface.isInstance(delegate)) {
            return iface.cast(delegate);
        }
        return delegate.unwrap(iface);
    }

    static boolean isWrapperFor(Wrapper delegate, Class<?> iface) throws SQLException {
        return iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }
}
