package io.vigil.alerts.promql;

import java.util.List;

/** The result of an evaluation: a scalar, an instant vector, a range vector (matrix) or a string. */
public sealed interface Value permits Value.Scalar, Value.InstantVector, Value.Matrix, Value.Text {

    /** A number at the evaluation time. */
    record Scalar(double value) implements Value {
    }

    /** One value per series at the evaluation time. */
    record InstantVector(List<Sample> samples) implements Value {
    }

    /** Points per series over a range (a range selector or subquery). */
    record Matrix(List<Series> series) implements Value {
    }

    /** A string literal. */
    record Text(String value) implements Value {
    }

    /** One element of an instant vector. */
    record Sample(Labels labels, double value) {
    }
}
