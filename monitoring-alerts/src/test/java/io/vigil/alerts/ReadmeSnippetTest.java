package io.vigil.alerts;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Putting it together" snippet is the code {@code AlertPipelineTest.readmeSnippet} compiles; its
 * "Two nodes, one database" snippet is the code {@code HighAvailabilityTest.readmeNode} runs.
 */
class ReadmeSnippetTest {

    @Test
    void readmeShowsTheCompiledSnippet() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/vigil/alerts/AlertPipelineTest.java"));
        String compiled = between(source, "// README-SNIPPET-START\n", "        // README-SNIPPET-END");
        String unindented = Arrays.stream(compiled.split("\n")).map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("```java\n" + unindented + "\n```");
    }

    @Test
    void readmeShowsTheTwoNodeSnippetTheHighAvailabilityTestRuns() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/vigil/alerts/HighAvailabilityTest.java"));
        String compiled = between(source, "// HA-SNIPPET-START\n", "        // HA-SNIPPET-END");
        String unindented = Arrays.stream(compiled.split("\n")).map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .collect(Collectors.joining("\n"));
        assertThat(Files.readString(Path.of("README.md"))).contains("```java\n" + unindented + "\n```");
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from)).stripTrailing();
    }
}
