package io.vigil.core.normalize;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PathNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", value = {
        "/ => /",
        "'' => /",
        "/users => /users",
        "/users/ => /users",
        "/users/42 => /users/{id}",
        "/users/42/orders/7 => /users/{id}/orders/{id}",
        "/api/v1/users => /api/v1/users",
        "/users/550e8400-e29b-41d4-a716-446655440000 => /users/{id}",
        "/users/550E8400-E29B-41D4-A716-446655440000/avatar => /users/{id}/avatar",
        "/blobs/d41d8cd98f00b204e9800998ecf8427e => /blobs/{id}",
        "/objects/5f1d7a9e8b3c4a2d1e0f9a8b => /objects/{id}",
        "/tokens/eyJhbGciOiJIUzI1NiJ9abc123 => /tokens/{id}",
        "/tokens/dGhpcyBpcyBhIHRva2VuMTIz== => /tokens/{id}",
        "/users/alice@example.com => /users/{id}",
        "/reports/2024-01-31 => /reports/{id}",
        "/prices/1.50 => /prices/{id}",
        "//users//42 => /users/{id}",
        "/users/./42 => /users/{id}",
        "/users/42/../7 => /users/{id}",
        "/../../etc/passwd => /etc/passwd",
        "/a/b/../../.. => /",
        "/users;jsessionid=ABC123 => /users",
        "/users/42;v=1/x => /users/{id}/x",
        "/search?q=secret => /search",
        "/page#frag => /page",
        "users/42 => /users/{id}",
        "/caf%C3%A9/menu => /{id}/menu",
        "/café/menu => /{id}/menu",
        "/名前/42 => /{id}/{id}",
        "/release-notes => /release-notes",
        "/health/live => /health/live",
    })
    void normalizes(String path, String expected) {
        assertThat(PathNormalizer.normalize(path)).isEqualTo(expected);
    }

    @Test
    void normalizesIntoAReusableBufferFromAnOffset() {
        StringBuilder scratch = new StringBuilder();
        String clean = "/users/{id}";
        assertThat(PathNormalizer.normalize(clean, 0, scratch)).isSameAs(clean);
        assertThat(PathNormalizer.normalize("/app/users/42/", 4, scratch)).isSameAs(scratch)
                .hasToString("/users/{id}");
        assertThat(PathNormalizer.normalize("/app/users", 4, scratch).toString()).isEqualTo("/users");
        assertThat(PathNormalizer.normalize("/app", 4, scratch).toString()).isEqualTo("/");
        assertThat(PathNormalizer.normalize("/app/a/../../..", 4, scratch).toString()).isEqualTo("/");
        assertThat(PathNormalizer.normalize(null, 0, scratch).toString()).isEqualTo("/");
        assertThat(PathNormalizer.normalize("/x".repeat(32 * 1024), 0, scratch).length())
                .isLessThanOrEqualTo(PathNormalizer.MAX_LENGTH);
    }

    @Test
    void nullIsRoot() {
        assertThat(PathNormalizer.normalize(null)).isEqualTo("/");
    }

    @Test
    void aCleanTemplateIsReturnedAsIs() {
        String path = "/api/v1/users/{id}/orders";
        assertThat(PathNormalizer.normalize(path)).isSameAs(path);
    }

    @Test
    void nullBytesAndControlCharactersNeverReachTheTag() {
        assertThat(PathNormalizer.normalize("/users/ali\u0000ce/x")).isEqualTo("/users/{id}/x");
        assertThat(PathNormalizer.normalize("/a\r\nSet-Cookie: x/b")).isEqualTo("/{id}/b");
    }

    @Test
    void charactersBeyondLatin1AreUserDataAndNeverSplitASegment() {
        // U+012F and U+FF0F end in 0x2F, the byte of '/': read as chars, never as truncated bytes
        assertThat(PathNormalizer.normalize("/na\u012Fve/x")).isEqualTo("/{id}/x");
        assertThat(PathNormalizer.normalize("/a\uFF0Fb/x")).isEqualTo("/{id}/x");
        assertThat(PathNormalizer.normalize("/\uFFFF/x")).isEqualTo("/{id}/x");
        assertThat(PathNormalizer.normalize("/\u00E9t\u00E9/x")).isEqualTo("/{id}/x");
    }

    @Test
    void longSegmentsAreIdentifiers() {
        assertThat(PathNormalizer.normalize("/posts/" + "z".repeat(65))).isEqualTo("/posts/{id}");
        assertThat(PathNormalizer.normalize("/posts/" + "z".repeat(64))).isEqualTo("/posts/" + "z".repeat(64));
    }

    @Test
    void a64KiBPathIsCappedAt1024Characters() {
        String huge = "/x".repeat(32 * 1024);
        String normalized = PathNormalizer.normalize(huge);
        assertThat(normalized.length()).isLessThanOrEqualTo(PathNormalizer.MAX_LENGTH);
        assertThat(normalized).startsWith("/x/x/x");

        String digits = "/1".repeat(32 * 1024); // each one-char segment grows to {id}
        assertThat(PathNormalizer.normalize(digits).length()).isLessThanOrEqualTo(PathNormalizer.MAX_LENGTH);

        String oneSegment = "/" + "z".repeat(64 * 1024);
        assertThat(PathNormalizer.normalize(oneSegment)).isEqualTo("/{id}");
    }

    @Test
    void randomIdsCollapseToFewTemplates() {
        Random random = new Random(42);
        Set<String> templates = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            templates.add(PathNormalizer.normalize("/users/" + random.nextInt(1_000_000) + "/orders/"
                    + java.util.UUID.randomUUID() + (i % 2 == 0 ? "/" : "")));
        }
        assertThat(templates).containsExactly("/users/{id}/orders/{id}");
    }
}
