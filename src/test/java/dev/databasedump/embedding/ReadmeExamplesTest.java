package dev.databasedump.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * The README and docs/ show what the code does: the embedding examples the tests run, word for word, wherever the
 * pages put them.
 */
class ReadmeExamplesTest {

    /** The README and every page of docs/, one after the other. */
    private static String readme() throws IOException {
        StringBuilder all = new StringBuilder(Files.readString(Path.of("README.md")));
        try (var pages = Files.list(Path.of("docs"))) {
            for (Path page : pages.filter(path -> path.toString().endsWith(".md")).sorted().toList()) {
                all.append('\n').append(Files.readString(page));
            }
        }
        return all.toString();
    }

    /** The fenced block right after the {@code <!-- readme:NAME ... -->} marker, on whichever page it is. */
    private static String readmeBlock(String name) throws IOException {
        String readme = readme();
        int marker = readme.indexOf("<!-- readme:" + name + " ");
        assertThat(marker).as("marker readme:" + name + " in README.md or docs/").isNotNegative();
        assertThat(readme.indexOf("<!-- readme:" + name + " ", marker + 1)).as("one marker readme:" + name)
                .isNegative();
        int start = readme.indexOf('\n', readme.indexOf("```", marker)) + 1;
        return readme.substring(start, readme.indexOf("```", start)).stripTrailing();
    }

    @Test
    void should_show_the_java_example_that_the_plain_context_test_runs() throws IOException {
        String test = Files.readString(Path.of("src/test/java/dev/databasedump/embedding/PlainContextHostTest.java"));
        String block = test.substring(test.indexOf("// readme:java:begin\n") + "// readme:java:begin\n".length(),
                test.indexOf("// readme:java:end"));
        String dedented = block.lines().map(line -> line.startsWith("        ") ? line.substring(8) : line)
                .collect(Collectors.joining("\n")).stripTrailing();

        assertThat(readmeBlock("java")).isEqualTo(dedented);
    }

    @Test
    void should_show_the_properties_and_yaml_that_the_camel_main_test_runs() throws IOException {
        assertThat(readmeBlock("properties")).isEqualTo(
                Files.readString(Path.of("src/test/resources/embedding/host-application.properties")).stripTrailing());
        assertThat(readmeBlock("yaml")).isEqualTo(
                Files.readString(Path.of("src/test/resources/embedding/host-routes.camel.yaml")).stripTrailing());
    }
}
