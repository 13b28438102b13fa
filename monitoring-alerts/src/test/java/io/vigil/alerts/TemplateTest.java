package io.vigil.alerts;

import io.vigil.alerts.promql.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Templates render as Prometheus (Go's text/template and fmt) renders them. */
class TemplateTest {

    private static final Labels SERIES = Labels.of("__name__", "up", "instance", "api-1", "job", "checkout");

    private static String expand(String template, double value) {
        return Template.parse(template).expand(SERIES, value, Map.of("cluster", "eu-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{{ $value }} => 1000000 => 1e+06",
        "{{ $value }} => 0.05 => 0.05",
        "{{ $value }} => 100000 => 100000",
        "{{ $value }} => 1234567 => 1.234567e+06",
        "{{ $value }} => 0.0001 => 0.0001",
        "{{ $value }} => 0.00001 => 1e-05",
        "{{ $value }} => -2 => -2",
        "{{ .Value }} => 1.5 => 1.5",
        "{{ $labels.instance }} of {{ .Labels.job }} => 0 => api-1 of checkout",
        "[{{ $labels.missing }}] => 0 => []",
        "{{ $externalLabels.cluster }} => 0 => eu-1",
        "{{ humanize $value }} => 1234.5 => 1.234k",
        "{{ $value | humanize }} => 1000000 => 1M",
        "{{ humanize $value }} => 0.0123 => 12.3m",
        "{{ humanize $value }} => 0 => 0",
        "{{ humanize $value }} => 2048 => 2.048k",
        "{{ humanizePercentage $value }} => 0.0512 => 5.12%",
        "{{ $value | humanizePercentage }} => 1 => 100%",
        "{{ humanizeDuration $value }} => 90 => 1m 30s",
        "{{ humanizeDuration $value }} => 0.25 => 250ms",
        "{{ humanizeDuration $value }} => 3.5 => 3.5s",
        "{{ humanizeDuration $value }} => 90061 => 1d 1h 1m 1s",
        "{{ humanizeDuration $value }} => 0 => 0s",
        "{{ printf \"%.2f\" $value }} => 3.14159 => 3.14",
        "{{ $value | printf \"%.1f\" }} => 2.25 => 2.2",
        "{{ printf \"%5.1f|%-4s|\" $value \"ab\" }} => 7.25 =>   7.2|ab  |",
        "{{ printf \"%d\" $value }} => 3 => %!d(float64=3)",
        "{{ printf \"%s is %g\" $labels.instance $value }} => 0.5 => api-1 is 0.5",
        "{{ printf \"%e\" $value }} => 1234.5678 => 1.234568e+03",
        "{{ $labels.instance | printf \"%q\" }} => 0 => \"api-1\"",
        "a {{- $value -}} b => 1 => a1b",
        "{{/* a comment */}}x => 1 => x",
        "{{ \"literal\" }} => 1 => literal",
        "{{ humanize \"2500\" }} => 0 => 2.5k",
    })
    void rendersAsPrometheus(String row) {
        String[] parts = row.split(" => ", -1);
        assertThat(expand(parts[0], Double.parseDouble(parts[1]))).isEqualTo(parts[2]);
    }

    @Test
    void specialValuesAsGoPrintsThem() {
        assertThat(expand("{{ $value }}", Double.NaN)).isEqualTo("NaN");
        assertThat(expand("{{ $value }}", Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(expand("{{ humanize $value }}", Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    @Test
    void anExecutionErrorRendersAsPrometheusDoesAndNeverThrows() {
        assertThat(expand("{{ humanize $labels.job }}", 1)).startsWith("<error expanding template: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{{ toUpper $labels.job }} => function \"toUpper\" not supported at offset 2",
        "{{ if gt $value 1.0 }}x{{ end }} => unsupported action \"if\"",
        "{{ range $labels }}{{ end }} => unsupported action \"range\"",
        "{{ $x := 1 }} => variable declarations are not supported",
        "{{ $foo }} => undefined variable \"$foo\"",
        "{{ .Foo }} => can't evaluate field Foo",
        "{{ $value|}} => missing command",
        "{{ $value |  humanize | title }} => function \"title\" not supported",
        "{{ $value => unclosed action",
        "{{ $labels.job humanize }} => can't give argument to non-function",
    })
    void rejectsWhatItCannotRenderAtLoad(String row) {
        String[] parts = row.split(" => ", -1);
        String message = parts[1];
        assertThatThrownBy(() -> Template.parse(parts[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
