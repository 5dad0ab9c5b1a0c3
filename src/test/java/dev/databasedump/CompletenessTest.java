package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.DumpIntegrationTest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

class CompletenessTest extends DumpIntegrationTest {

    @Test
    void should_export_every_row_of_a_table_without_primary_key_duplicates_included() throws Exception {
        db.execute("CREATE TABLE events (kind text, n int)",
                "INSERT INTO events SELECT 'kind-' || (g % 7), g % 10 FROM generate_series(1, 2500) g");
        Map<String, String> settings = settings();

        Dump dump = dump(settings);

        assertThat(rowTexts(dump.table("events"))).containsExactlyInAnyOrderElementsOf(
                databaseRows("SELECT to_json(t.*)::text FROM events t"));
        assertThat(dump.table("events")).hasSize(2500);
    }

    @Test
    void should_order_rows_by_primary_key_across_many_pages() {
        db.execute("CREATE TABLE ordered (id int PRIMARY KEY, v int)",
                "INSERT INTO ordered SELECT g, 0 FROM generate_series(3001, 1, -1) g",
                // Updates move rows physically, so heap order is not key order.
                "UPDATE ordered SET v = 1 WHERE id % 3 = 0");
        Map<String, String> settings = settings();

        Dump dump = dump(settings);

        List<Integer> ids = StreamSupport.stream(dump.table("ordered").spliterator(), false)
                .map(row -> row.get("id").asInt()).toList();
        assertThat(ids).containsExactlyElementsOf(IntStream.rangeClosed(1, 3001).boxed().toList());
    }

    @Test
    void should_order_by_a_composite_key_in_key_order_not_column_order() {
        db.execute("CREATE TABLE pairs (a int, b int, PRIMARY KEY (b, a))",
                "INSERT INTO pairs VALUES (1, 2), (2, 1), (1, 1), (2, 2)");

        Dump dump = dump();

        assertThat(dump.table("pairs").toString())
                .isEqualTo("[{\"a\":1,\"b\":1},{\"a\":2,\"b\":1},{\"a\":1,\"b\":2},{\"a\":2,\"b\":2}]");
    }

    @Test
    void should_write_an_empty_array_for_an_empty_table() {
        db.execute("CREATE TABLE nothing_here (id int PRIMARY KEY)");

        Dump dump = dump();

        assertThat(dump.table("nothing_here").isArray()).isTrue();
        assertThat(dump.table("nothing_here")).isEmpty();
        assertThat(dump.metadata().at("/tables_summary/nothing_here/rows").asLong()).isZero();
    }

    private List<String> rowTexts(JsonNode rows) {
        List<String> texts = new ArrayList<>();
        rows.forEach(row -> texts.add(row.toString()));
        return texts;
    }

    private List<String> databaseRows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection connection = db.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                // Re-serialise through Jackson so both sides compare in the same spacing.
                rows.add(dev.databasedump.support.StoredDump.EXACT_JSON.readTree(rs.getString(1)).toString());
            }
        }
        return rows;
    }
}
