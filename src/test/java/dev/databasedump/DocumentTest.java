package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.DumpIntegrationTest;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DocumentTest extends DumpIntegrationTest {

    @Test
    void should_put_metadata_first_with_counts_that_equal_the_arrays() {
        db.execute("CREATE TABLE clients (id int PRIMARY KEY, name text, tags text[])",
                "INSERT INTO clients SELECT g, 'c' || g, ARRAY['x'] FROM generate_series(1, 25) g",
                "CREATE TABLE audit_log (id int PRIMARY KEY, payload jsonb)",
                "INSERT INTO audit_log SELECT g, '{}' FROM generate_series(1, 1200) g",
                "CREATE TABLE dropped_column (id int PRIMARY KEY, gone int, kept text)",
                "ALTER TABLE dropped_column DROP COLUMN gone");
        Map<String, String> settings = settings();
        settings.put("dump.environment", "staging");
        Instant before = Instant.now();

        Dump dump = dump(settings);

        assertThat(dump.stored().json()).startsWith("{\"metadata\":{");
        JsonNode metadata = dump.metadata();
        assertThat(metadata.get("format_version").asInt()).isEqualTo(3);
        assertThat(metadata.get("environment").asText()).isEqualTo("staging");
        assertThat(metadata.at("/database/name").asText()).isEqualTo(db.name());
        assertThat(metadata.at("/database/server_version").asText()).matches("\\d+.*");
        assertThat(metadata.get("schemas").toString()).isEqualTo("[\"public\"]");
        Instant exportedAt = Instant.parse(metadata.get("exported_at").asText());
        assertThat(metadata.get("exported_at").asText()).endsWith("Z");
        assertThat(exportedAt).isBetween(before.minusSeconds(1), Instant.now());
        assertThat(metadata.get("duration_ms").asLong()).isBetween(0L, Duration.ofMinutes(1).toMillis());
        assertThat(metadata.get("total_tables").asInt()).isEqualTo(3).isEqualTo(dump.data().size());
        assertThat(metadata.get("total_rows").asLong()).isEqualTo(1225);
        assertThat(metadata.at("/tables_summary/clients/columns").asInt()).isEqualTo(3);
        assertThat(metadata.at("/tables_summary/dropped_column/columns").asInt()).isEqualTo(2);
        long rows = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.get("tables_summary").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> table = it.next();
            assertThat(table.getValue().get("rows").asLong()).as(table.getKey())
                    .isEqualTo(dump.table(table.getKey()).size());
            rows += table.getValue().get("rows").asLong();
        }
        assertThat(rows).isEqualTo(metadata.get("total_rows").asLong());
    }

    @Test
    void should_record_column_types_sequences_and_session_settings_for_a_restore() {
        db.execute("CREATE TABLE cases (id serial PRIMARY KEY, title varchar(40), fee numeric(14, 2), at timestamptz)",
                "INSERT INTO cases (title) SELECT 'case ' || g FROM generate_series(1, 7) g",
                "CREATE TABLE notes (n int GENERATED ALWAYS AS IDENTITY, body text)",
                "CREATE SEQUENCE invoice_numbers START 1000", "SELECT nextval('invoice_numbers')");

        JsonNode metadata = dump().metadata();

        assertThat(metadata.at("/tables_summary/cases/column_types").toString())
                .isEqualTo("{\"id\":\"integer\",\"title\":\"character varying(40)\",\"fee\":\"numeric(14,2)\","
                        + "\"at\":\"timestamp with time zone\"}");
        assertThat(metadata.get("sequences").toString()).isEqualTo("{\"cases_id_seq\":{\"last_value\":7,"
                + "\"is_called\":true},\"invoice_numbers\":{\"last_value\":1000,\"is_called\":true},"
                + "\"notes_n_seq\":{\"last_value\":1,\"is_called\":false}}");
        assertThat(TableSelectionTest.fieldNames(metadata.get("session_settings"))).containsExactly("TimeZone",
                "DateStyle", "IntervalStyle", "bytea_output", "extra_float_digits", "lc_monetary");
        assertThat(metadata.at("/session_settings/IntervalStyle").asText()).isEqualTo("postgres");
    }

    @Test
    void should_write_the_same_values_whatever_the_databases_own_settings() {
        db.execute("CREATE TABLE v (id int PRIMARY KEY, b bytea, iv interval, ts timestamptz, r tstzrange, f float8,"
                        + " d date[])",
                "INSERT INTO v VALUES (1, '\\x00ff', '1 day 02:03:04', '2026-02-16 20:30+02',"
                        + " '[2026-01-01 00:00+00,2026-02-01 00:00+00)', 0.1, '{2026-02-16}')");
        String withDefaults = dataOf(dump());

        db.execute("ALTER DATABASE " + db.name() + " SET bytea_output = 'escape'",
                "ALTER DATABASE " + db.name() + " SET IntervalStyle = 'sql_standard'",
                "ALTER DATABASE " + db.name() + " SET DateStyle = 'SQL, DMY'",
                "ALTER DATABASE " + db.name() + " SET TimeZone = 'America/New_York'",
                "ALTER DATABASE " + db.name() + " SET extra_float_digits = -3");
        assertThat(db.count("SELECT count(*) FROM v WHERE b::text = '\\000\\377'"))
                .as("the database's own default now writes bytea differently").isEqualTo(1);

        assertThat(dataOf(dump())).isEqualTo(withDefaults).contains("\"b\":\"\\\\x00ff\"")
                .contains("\"iv\":\"1 day 02:03:04\"");
    }

    private static String dataOf(Dump dump) {
        String json = dump.stored().json();
        return json.substring(json.indexOf("\"data\":"));
    }

    @Test
    void should_report_location_size_checksum_and_metadata_but_never_data() {
        db.execute("CREATE TABLE secrets_of_tenants (id int PRIMARY KEY, v text)",
                "INSERT INTO secrets_of_tenants VALUES (1, 'row-value-only-in-the-dump')");

        Dump dump = dump();

        JsonNode summary = dump.summary();
        assertThat(TableSelectionTest.fieldNames(summary))
                .containsExactly("bucket", "key", "size_bytes", "sha256", "metadata");
        assertThat(summary.get("bucket").asText()).isEqualTo(bucket);
        assertThat(summary.get("size_bytes").asLong()).isEqualTo(dump.stored().storedBytes().length);
        assertThat(summary.get("sha256").asText()).isEqualTo(dump.stored().sha256());
        assertThat(summary.get("metadata")).isEqualTo(dump.metadata());
        assertThat(summary.toString()).doesNotContain("row-value-only-in-the-dump");
    }
}
