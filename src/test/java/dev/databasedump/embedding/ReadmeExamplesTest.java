package dev.databasedump.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The README shows what the code does: the embedding examples the tests run, word for word, and every key. */
class ReadmeExamplesTest {

    private static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    /** The fenced block right after the {@code <!-- readme:NAME ... -->} marker. */
    private static String readmeBlock(String name) throws IOException {
        String readme = readme();
        int marker = readme.indexOf("<!-- readme:" + name + " ");
        assertThat(marker).as("README marker readme:" + name).isNotNegative();
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

    @Test
    void should_document_every_dump_key_of_application_properties_in_the_configuration_table() throws IOException {
        java.util.Properties file = new java.util.Properties();
        try (var reader = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(reader);
        }
        String readme = readme();

        assertThat(file.stringPropertyNames()).filteredOn(key -> key.startsWith("dump."))
                .isNotEmpty().allSatisfy(key -> assertThat(readme).contains("| `" + key + "` |"));
    }
}
