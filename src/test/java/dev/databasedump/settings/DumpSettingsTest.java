package dev.databasedump.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.databasedump.support.DocumentedSettings;

import org.junit.jupiter.api.Test;

class DumpSettingsTest {

    private static DumpSettings load(Map<String, String> values) {
        return DumpSettings.load(key -> Optional.ofNullable(values.get(key)));
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = new HashMap<>();
        values.put(key, value);
        return values;
    }

    @Test
    void should_default_to_the_values_application_properties_documents() throws IOException {
        Map<String, String> documented = DocumentedSettings.load();

        assertThat(load(documented)).isEqualTo(load(Map.of()));
        assertThat(load(Map.of()).storage().bucket()).isEqualTo("import-exports");
        assertThat(load(Map.of()).storage().prefix()).isEqualTo("dumps/");
        assertThat(load(Map.of()).schemas()).containsExactly("public");
    }

    @Test
    void should_read_on_one_connection_per_core_from_two_to_eight_by_default() {
        int cores = Runtime.getRuntime().availableProcessors();

        assertThat(load(Map.of()).reads().parallelism()).isEqualTo(Math.max(2, Math.min(8, cores)));
        assertThat(load(Map.of()).reads().pieceRows()).isEqualTo(250_000);
        assertThat(load(with("dump.parallelism", "1")).reads().parallelism()).isEqualTo(1);
    }

    @Test
    void should_refuse_bad_values_naming_the_key() {
        assertThatThrownBy(() -> load(with("dump.piece-rows", "-1"))).hasMessageContaining("dump.piece-rows");
        assertThatThrownBy(() -> load(with("dump.piece-rows", "many"))).hasMessageContaining("dump.piece-rows");
        assertThatThrownBy(() -> load(with("dump.compression", "zip"))).hasMessageContaining("dump.compression");
        assertThatThrownBy(() -> load(with("dump.s3.endpoint", "not a url"))).hasMessageContaining("dump.s3.endpoint");
        assertThatThrownBy(() -> load(with("dump.s3.endpoint", "ftp://host"))).hasMessageContaining("dump.s3.endpoint");
        assertThatThrownBy(() -> load(with("dump.s3.part-size", "1024"))).hasMessageContaining("dump.s3.part-size");
        assertThatThrownBy(() -> load(with("dump.s3.path-style", "yes"))).hasMessageContaining("dump.s3.path-style");
        assertThatThrownBy(() -> load(with("dump.lock-timeout", "soon"))).hasMessageContaining("dump.lock-timeout");
        assertThatThrownBy(() -> load(with("dump.parallelism", "0"))).hasMessageContaining("dump.parallelism");
        assertThatThrownBy(() -> load(with("dump.parallelism", "33"))).hasMessageContaining("dump.parallelism");
        assertThatThrownBy(() -> load(with("dump.piece-rows", "0"))).hasMessageContaining("dump.piece-rows");
        assertThatThrownBy(() -> load(with("dump.db.url", "postgres://x"))).hasMessageContaining("dump.db.url");
        assertThatThrownBy(() -> load(with("dump.db.url", "jdbc:postgresql://h/db?user=u&password=p")))
                .hasMessageContaining("dump.db.url").hasMessageNotContaining("=p");
        assertThatThrownBy(() -> load(with("dump.schemas", " , "))).hasMessageContaining("dump.schemas");
        assertThatThrownBy(() -> load(with("dump.retention.keep-last", "0")))
                .hasMessageContaining("dump.retention.keep-last");
        assertThatThrownBy(() -> load(with("dump.notify.webhook-url", "not a url")))
                .hasMessageContaining("dump.notify.webhook-url");
        assertThatThrownBy(() -> load(with("dump.notify.attempts", "0"))).hasMessageContaining("dump.notify.attempts");
        assertThatThrownBy(() -> load(with("dump.s3.access-key", "only-the-key")))
                .hasMessageContaining("dump.s3.access-key");
    }

    @Test
    void should_take_the_default_for_a_blank_value() {
        assertThat(load(with("dump.s3.bucket", "   ")).storage().bucket()).isEqualTo("import-exports");
        assertThat(load(with("dump.piece-rows", "")).reads().pieceRows()).isEqualTo(250_000);
    }

    @Test
    void should_read_lists_durations_and_prefixes_as_people_write_them() {
        Map<String, String> values = new HashMap<>();
        values.put("dump.schemas", " public , app ");
        values.put("dump.lock-timeout", "500ms");
        values.put("dump.s3.prefix", "exports/nightly");
        values.put("dump.compression", "GZIP");
        values.put("dump.retention.max-age", "30d");
        values.put("dump.retention.keep-last", "7");

        DumpSettings settings = load(values);

        assertThat(settings.schemas()).containsExactly("public", "app");
        assertThat(settings.lockTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.storage().prefix()).isEqualTo("exports/nightly/");
        assertThat(settings.compression()).isEqualTo(Compression.GZIP);
        assertThat(settings.retention().maxAge()).contains(Duration.ofDays(30));
        assertThat(settings.retention().keepLast()).contains(7);
    }

    @Test
    void should_never_show_secrets_in_its_text_form() {
        Map<String, String> values = new HashMap<>();
        values.put("dump.db.password", "db-secret-value");
        values.put("dump.s3.access-key", "AKIAEXAMPLE");
        values.put("dump.s3.secret-key", "s3-secret-value");

        String text = load(values).toString();

        assertThat(text).doesNotContain("db-secret-value").doesNotContain("s3-secret-value");
        assertThat(load(values).secrets()).contains("db-secret-value", "s3-secret-value");
    }
}
