package io.vigil.alerts;

import java.time.Duration;

/**
 * How hard the dispatcher tries, for every channel: a round of {@code maxAttempts} attempts with exponential
 * backoff and jitter ({@code initialBackoff} doubling up to {@code maxBackoff}, ±{@code jitter}), then a pause of
 * {@code maxBackoff} and another round — until delivered, rejected, or older than {@code maxAge}. The circuit
 * breaker opens when half the last {@code breakerWindow} calls failed and lets one trial call through after
 * {@code breakerOpenFor}.
 */
record DeliveryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter, Duration maxAge,
        int breakerWindow, Duration breakerOpenFor, int laneCapacity, int maxStuckCalls) {
}
