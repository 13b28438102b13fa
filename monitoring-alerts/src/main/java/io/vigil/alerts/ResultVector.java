package io.vigil.alerts;

import io.vigil.alerts.promql.Labels;
import io.vigil.alerts.promql.Value;

import java.util.List;

/** A rule's result as Prometheus' rule manager takes it: an instant vector, a scalar as one unlabelled sample. */
final class ResultVector {

    private ResultVector() {
    }

    static List<Value.Sample> of(Value value) {
        if (value instanceof Value.InstantVector vector) {
            return vector.samples();
        }
        if (value instanceof Value.Scalar scalar) {
            return List.of(new Value.Sample(Labels.EMPTY, scalar.value()));
        }
        throw new IllegalStateException("rule result is not a vector or scalar");
    }
}
