/**
 * Alert correlation as pure, clock-driven logic with Alertmanager's semantics: {@link io.vigil.core.alert.Alert}
 * (with Alertmanager's fingerprint), {@link io.vigil.core.alert.Matcher} (Alertmanager's syntax, RE2),
 * {@link io.vigil.core.alert.Route} trees with aggregation-group timers, {@link io.vigil.core.alert.InhibitRule},
 * {@link io.vigil.core.alert.Silence}, and what Alertmanager lacks: a {@link io.vigil.core.alert.DependencyGraph}
 * so that one root cause yields one {@link io.vigil.core.alert.Incident} listing its symptoms.
 * {@link io.vigil.core.alert.CorrelationEngine} ties them together and emits
 * {@link io.vigil.core.alert.Notification}s for a dispatcher.
 */
package io.vigil.core.alert;
