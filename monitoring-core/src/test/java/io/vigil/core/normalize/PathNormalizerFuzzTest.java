package io.vigil.core.normalize;

import io.vigil.core.testkit.HostileInputs;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PathNormalizer} on thousands of hostile paths: a short clean template, never an exception. */
class PathNormalizerFuzzTest {

    @Test
    void everyHostilePathBecomesACleanBoundedTemplate() {
        List<String> corpus = new ArrayList<>(HostileInputs.paths(20261202L, 5_000, false));
        corpus.addAll(HostileInputs.anyStrings(7L, 5_000));
        StringBuilder scratch = new StringBuilder();
        PathNormalizer.Buffer buffer = new PathNormalizer.Buffer();   // reused across paths, as per thread
        for (String path : corpus) {
            String template = PathNormalizer.normalize(path);
            assertThat(template).as(path).startsWith("/").hasSizeLessThanOrEqualTo(PathNormalizer.MAX_LENGTH)
                    .doesNotContain("%", ";", "/./", "/../", "//", "?", "#");
            assertThat(template).as(path).doesNotEndWith("/..").doesNotEndWith("/.");
            for (int i = 0; i < template.length(); i++) {
                char c = template.charAt(i);
                assertThat(c >= 0x20 && c < 0x7f).as("%s: char %d of %s", path, (int) c, template).isTrue();
            }
            // the allocation-free variant agrees, from any offset inside the path
            assertThat(PathNormalizer.normalize(path, 0, scratch).toString()).as(path).isEqualTo(template);
            int length = PathNormalizer.normalize(path, 0, buffer);
            assertThat(new String(buffer.chars(), 0, length)).as(path).isEqualTo(template);
            // a template is a fixed point: normalizing it again changes nothing
            assertThat(PathNormalizer.normalize(template)).as(path).isEqualTo(template);
        }
    }
}
