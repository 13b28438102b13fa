package io.vigil.core.health;

/**
 * The health-check SPI: one dependency or resource, asked how it is.
 *
 * <p>Implementations may block (a ping, a query): the runtime calls them on its own threads with a
 * timeout, never on a probe's request thread. A thrown exception means {@link HealthStatus#DOWN} with the
 * exception's type in the details.
 */
@FunctionalInterface
public interface HealthCheck {

    HealthResult check() throws Exception;
}
