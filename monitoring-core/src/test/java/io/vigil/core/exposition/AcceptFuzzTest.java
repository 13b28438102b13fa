package io.vigil.core.exposition;

import io.vigil.core.testkit.HostileInputs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static io.vigil.core.exposition.PrometheusExposition.OPENMETRICS_1_0;
import static io.vigil.core.exposition.PrometheusExposition.TEXT_0_0_4;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** {@link PrometheusExposition#negotiate} on thousands of hostile Accept headers: an answer, never an exception. */
class AcceptFuzzTest {

    @Test
    void theNastiesThatBrokeNaiveSplittingAreAnsweredWithText() {
        // "Accept: ;" threw ArrayIndexOutOfBoundsException (issue 10)
        for (String accept : List.of(";", ",", ";;", ", ;", "application/openmetrics-text;q=",
                "application/openmetrics-text;q=1.5", "application/openmetrics-text;q=-1",
                "application/openmetrics-text;q=NaN", "application/openmetrics-text;q=1e309",
                "application/openmetrics-text;q=0.0000")) {
            assertThat(PrometheusExposition.negotiate(accept)).as(accept).isEqualTo(TEXT_0_0_4);
        }
        // RFC 9110 allows no space around "=": "q = 0" is not a weight, so it is ignored (q=1)
        assertThat(PrometheusExposition.negotiate("application/openmetrics-text ; q = 0")).isEqualTo(OPENMETRICS_1_0);
        assertThat(PrometheusExposition.negotiate("application/openmetrics-text;q=0.5")).isEqualTo(OPENMETRICS_1_0);
        assertThat(PrometheusExposition.negotiate("application/openmetrics-text\t;\tq=1")).isEqualTo(OPENMETRICS_1_0);
        assertThat(PrometheusExposition.negotiate(";,application/openmetrics-text")).isEqualTo(OPENMETRICS_1_0);
        assertThat(PrometheusExposition.negotiate("application/openmetrics-text;version=1.0.0;q=0.001"))
                .isEqualTo(OPENMETRICS_1_0);
        assertThat(PrometheusExposition.negotiate("application/openmetrics-text;q=1.000")).isEqualTo(OPENMETRICS_1_0);
    }

    @Test
    void tenThousandGeneratedHeadersGetOneOfTheTwoFormatsAndOpenMetricsOnlyWhenNamed() {
        List<String> corpus = HostileInputs.anyStrings(20261202L, 10_000);
        assertThat(corpus).hasSizeGreaterThan(10_000);
        int openMetrics = 0;
        for (String accept : corpus) {
            String[] answer = new String[1];
            assertThatCode(() -> answer[0] = PrometheusExposition.negotiate(accept)).as(accept)
                    .doesNotThrowAnyException();
            assertThat(answer[0]).as(accept).isIn(TEXT_0_0_4, OPENMETRICS_1_0);
            if (answer[0].equals(OPENMETRICS_1_0)) {
                openMetrics++;
                assertThat(accept.toLowerCase(Locale.ROOT)).contains("application/openmetrics-text");
            }
        }
        // the corpus really exercises both answers
        assertThat(openMetrics).isGreaterThan(10);
    }

    @Test
    void qualityFollowsTheRfcGrammar() {
        assertThat(PrometheusExposition.quality("0", 0, 1)).isZero();
        assertThat(PrometheusExposition.quality("1", 0, 1)).isEqualTo(1);
        assertThat(PrometheusExposition.quality("0.125", 0, 5)).isEqualTo(0.125);
        assertThat(PrometheusExposition.quality(" 0.5 ", 0, 5)).isEqualTo(0.5);
        assertThat(PrometheusExposition.quality("1.5", 0, 3)).isZero();
        assertThat(PrometheusExposition.quality("0.1234", 0, 6)).isZero();
        assertThat(PrometheusExposition.quality("", 0, 0)).isZero();
        assertThat(PrometheusExposition.quality("2", 0, 1)).isZero();
    }
}
