package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SQL NULL and JSON null in json and jsonb columns, which to_json writes alike: the dump lists where the JSON nulls
 * stand, a restore puts each back as it was, and a dump made before they were listed restores SQL NULL in both.
 */
class JsonNullTest extends DumpIntegrationTest {

    private static final String TABLE = "CREATE TABLE events (id int PRIMARY KEY, j json, jb jsonb, body text)";
    /** Per row, what each column holds: NULL, or the JSON type of its value. */
    private static final String NULLS = "SELECT string_agg(id || ':' || coalesce(json_typeof(j), 'NULL') || '/'"
            + " || coalesce(jsonb_typeof(jb), 'NULL'), ' ' ORDER BY id) FROM events";

    private Map<String, String> restoringInto(TestDatabase target) {
        Map<String, String> settings = settings();
        settings.put("dump.restore.db.url", target.url());
        return settings;
    }

    private void restore(Map<String, String> settings, String key) {
        try (DumpApplication app = DumpApplication.start(settings)) {
            app.restore(key);
        }
    }

    @ParameterizedTest(name = "{0} rows, compression {1}")
    @CsvSource({"12, none", "30000, none", "30000, gzip"})
    void should_restore_sql_null_and_json_null_each_where_it_was_even_when_their_list_outgrows_the_metadatas_room(
            int rows, String compression) throws Exception {
        db.execute(TABLE, "INSERT INTO events SELECT g,"
                + " (CASE g % 4 WHEN 0 THEN NULL WHEN 1 THEN 'null' WHEN 2 THEN '{\"a\": null}' ELSE '[null]' END)::json,"
                + " (CASE g % 3 WHEN 0 THEN 'null' WHEN 1 THEN NULL ELSE '{}' END)::jsonb, repeat('x', 200)"
                + " FROM generate_series(1, " + rows + ") g");
        Map<String, String> settings = settings();
        settings.put("dump.compression", compression);
        settings.put("dump.verify-after-upload", "true");

        Dump dump = dump(settings);

        JsonNode listed = dump.metadata().get("json_nulls");
        assertThat(listed.at("/events/j/0").toString()).isEqualTo("[1,1]");
        assertThat(listed.at("/events/jb/0").toString()).isEqualTo("[3,3]");
        assertThat(listed.at("/events/j").size()).isEqualTo((rows + 3) / 4);
        assertThat(listed.toString().length()).as("the list, against the few kilobytes of room kept for metadata")
                .isGreaterThan(rows * 5);
        try (TestDatabase copy = TestDatabase.create()) {
            copy.execute(TABLE);
            restore(restoringInto(copy), dump.key());

            assertThat(copy.strings(NULLS)).isEqualTo(db.strings(NULLS));
        }
    }

    @Test
    void should_restore_every_null_of_a_dump_made_before_json_nulls_were_listed_as_sql_null() throws Exception {
        db.execute(TABLE, "INSERT INTO events VALUES (1, 'null', 'null', 'a'), (2, NULL, NULL, 'b'),"
                + " (3, '{}', '[]', 'c')");
        Dump dump = dump();
        // The document as the previous version wrote it: format 2, no json_nulls.
        ObjectNode document = (ObjectNode) StoredDump.EXACT_JSON.readTree(dump.stored().json());
        ObjectNode metadata = (ObjectNode) document.get("metadata");
        metadata.put("format_version", 2);
        metadata.remove("json_nulls");
        StoredDump.replace(s3.client(), bucket, dump.key(),
                StoredDump.EXACT_JSON.writeValueAsString(document).getBytes(StandardCharsets.UTF_8), true);

        try (TestDatabase copy = TestDatabase.create()) {
            copy.execute(TABLE);
            restore(restoringInto(copy), dump.key());

            assertThat(copy.strings(NULLS)).containsExactly("1:NULL/NULL 2:NULL/NULL 3:object/array");
        }
    }
}
