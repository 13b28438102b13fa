package io.vigil.core.normalize;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpTagsTest {

    @Test
    void outcomeFollowsSpringBoot() {
        assertThat(HttpOutcome.forStatus(101)).isEqualTo(HttpOutcome.INFORMATIONAL);
        assertThat(HttpOutcome.forStatus(200)).isEqualTo(HttpOutcome.SUCCESS);
        assertThat(HttpOutcome.forStatus(299)).isEqualTo(HttpOutcome.SUCCESS);
        assertThat(HttpOutcome.forStatus(302)).isEqualTo(HttpOutcome.REDIRECTION);
        assertThat(HttpOutcome.forStatus(404)).isEqualTo(HttpOutcome.CLIENT_ERROR);
        assertThat(HttpOutcome.forStatus(503)).isEqualTo(HttpOutcome.SERVER_ERROR);
        assertThat(HttpOutcome.forStatus(0)).isEqualTo(HttpOutcome.UNKNOWN);
        assertThat(HttpOutcome.forStatus(600)).isEqualTo(HttpOutcome.UNKNOWN);
        assertThat(HttpOutcome.forStatus(-1)).isEqualTo(HttpOutcome.UNKNOWN);
    }

    @Test
    void methodsAreTheStandardVerbsOrUnknown() {
        for (String method : new String[] {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
            "CONNECT"}) {
            assertThat(HttpMethods.normalize(new String(method.toCharArray()))).isEqualTo(method).isSameAs(
                    HttpMethods.normalize(method));
        }
        assertThat(HttpMethods.normalize("get")).isEqualTo("UNKNOWN");
        assertThat(HttpMethods.normalize("PROPFIND")).isEqualTo("UNKNOWN");
        assertThat(HttpMethods.normalize("GET\u0000")).isEqualTo("UNKNOWN");
        assertThat(HttpMethods.normalize(null)).isEqualTo("UNKNOWN");
    }

    @Test
    void statusTagsAreCachedStrings() {
        assertThat(HttpStatusTag.of(200)).isEqualTo("200").isSameAs(HttpStatusTag.of(200));
        assertThat(HttpStatusTag.of(599)).isEqualTo("599");
        assertThat(HttpStatusTag.of(99)).isEqualTo("UNKNOWN");
        assertThat(HttpStatusTag.of(600)).isEqualTo("UNKNOWN");
    }
}
