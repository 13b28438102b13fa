package io.vigil.alerts;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times as Alertmanager's API writes and reads them: RFC 3339 in UTC with milliseconds on output
 * ({@code 2026-12-02T04:45:50.170Z}); any RFC 3339 offset on input; Go's zero time ({@code 0001-01-01T00:00:00Z},
 * what a Go client sends for "unset") reads as absent.
 */
final class ApiTime {

    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private ApiTime() {
    }

    static String format(Instant instant) {
        return OUT.format(instant);
    }

    /**
     * @return the instant, or {@code null} for Go's zero time
     * @throws ApiError Alertmanager's 400 for text that is not an RFC 3339 time
     */
    static Instant parse(String text, String what) {
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return instant.getEpochSecond() == GO_ZERO_SECONDS && instant.getNano() == 0 ? null : instant;
        } catch (DateTimeParseException e) {
            throw ApiError.unparseable(what, "parsing time \"" + ApiJson.clip(text) + "\" as RFC 3339: "
                    + "cannot parse");
        }
    }

    /** 0001-01-01T00:00:00Z. */
    private static final long GO_ZERO_SECONDS = -62135596800L;
}
