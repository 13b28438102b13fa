package io.vigil.alerts;

import io.vigil.alerts.promql.SeriesSource;

/** A rule with the state it keeps between evaluations. Confined to the evaluation thread. */
interface RuleState {

    AlertRule rule();

    /** One evaluation at {@code timeMillis}; throws when the expression fails (the group goes on). */
    void evaluate(long timeMillis, SeriesSource source, RuleOutput output);
}
