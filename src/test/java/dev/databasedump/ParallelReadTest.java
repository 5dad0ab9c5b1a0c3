package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.DumpIntegrationTest;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large tables are read in key ranges on several connections sharing one snapshot, and the pieces are put back in
 * order: the document is the same, byte for byte after the metadata, at every parallelism.
 */
class ParallelReadTest extends DumpIntegrationTest {

    @BeforeEach
    void tablesOfEveryShape() {
        db.execute(
                // Dense integer key: cut into ranges.
                "CREATE TABLE a_dense (id int PRIMARY KEY, v text)",
                "INSERT INTO a_dense SELECT g, 'row ' || g FROM generate_series(1, 5000) g",
                // Keys far apart: most ranges are empty, and must leave no stray comma.
                "CREATE TABLE b_sparse (id bigint PRIMARY KEY, v text)",
                "INSERT INTO b_sparse SELECT g * 1000003, 'row ' || g FROM generate_series(-700, 700) g",
                // Keys that cannot be cut into ranges: one piece each.
                "CREATE TABLE c_uuid (id uuid PRIMARY KEY, v int)",
                "INSERT INTO c_uuid SELECT md5(g::text)::uuid, g FROM generate_series(1, 2000) g",
                "CREATE TABLE d_no_key (v int, w text)",
                "INSERT INTO d_no_key SELECT g % 7, 'x' FROM generate_series(1, 1500) g",
                "CREATE TABLE e_empty (id int PRIMARY KEY)",
                // Analysed: the planner's row estimate decides the cut.
                "CREATE TABLE f_analysed (id smallint PRIMARY KEY, v text)",
                "INSERT INTO f_analysed SELECT g, repeat('y', g % 50) FROM generate_series(1, 3000) g",
                "ANALYZE f_analysed");
    }

    private Dump dumpAt(int parallelism, String compression) {
        Map<String, String> settings = settings();
        settings.put("dump.parallelism", String.valueOf(parallelism));
        settings.put("dump.piece-rows", "300");
        settings.put("dump.compression", compression);
        return dump(settings);
    }

    /** The document from "data" on: everything but the metadata (whose duration differs). */
    private static String dataText(Dump dump) {
        String json = dump.stored().json();
        return json.substring(json.indexOf(",\n\"data\":{"));
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(strings = {"none", "gzip"})
    void should_write_the_same_document_at_every_parallelism(String compression) {
        Dump one = dumpAt(1, compression);
        Dump four = dumpAt(4, compression);

        assertThat(dataText(four)).isEqualTo(dataText(one));
        assertThat(four.table("a_dense")).hasSize(5000);
        assertThat(four.table("b_sparse")).hasSize(1401);
        assertThat(four.table("e_empty")).isEmpty();
        assertThat(four.metadata().get("total_rows").asLong()).isEqualTo(5000 + 1401 + 2000 + 1500 + 3000);
        assertThat(four.metadata().get("tables_summary").fieldNames()).toIterable()
                .containsExactly("a_dense", "b_sparse", "c_uuid", "d_no_key", "e_empty", "f_analysed");
        assertThat(four.metadata().get("tables_summary").get("b_sparse").get("rows").asLong()).isEqualTo(1401);
        assertThat(four.table("a_dense").get(4999).get("id").asInt()).isEqualTo(5000);
        assertThat(four.table("b_sparse").get(0).get("id").asLong()).isEqualTo(-700L * 1000003);
    }

    @Test
    void should_read_large_tables_in_key_ranges_on_as_many_connections_as_asked() {
        try (CapturedLogs logs = new CapturedLogs()) {
            dumpAt(3, "none");

            Matcher opened = Pattern.compile("dumping 6 tables of schemas \\[public] in (\\d+) pieces on 3 connections")
                    .matcher(logs.text());
            assertThat(opened.find()).as(logs.text()).isTrue();
            // a_dense alone is 5000 rows, in pieces of 300: 17.
            assertThat(Integer.parseInt(opened.group(1))).isGreaterThanOrEqualTo(17 + 5);
        }
    }

    @Test
    void should_cut_a_table_that_grew_since_it_was_last_analysed() {
        db.execute("CREATE TABLE g_grown (id int PRIMARY KEY, v text)",
                "INSERT INTO g_grown SELECT g, 'row ' || g FROM generate_series(1, 100) g",
                "ANALYZE g_grown",
                "INSERT INTO g_grown SELECT g, 'row ' || g FROM generate_series(101, 20000) g");
        Map<String, String> settings = settings();
        settings.put("dump.include-tables", "g_grown");
        settings.put("dump.piece-rows", "2000");

        try (CapturedLogs logs = new CapturedLogs()) {
            Dump dump = dump(settings);

            // 100 rows when analysed, 20,000 now: cut as 20,000 (about 10 pieces), not read whole as 100.
            Matcher opened = Pattern.compile("dumping 1 tables of schemas \\[public] in (\\d+) pieces")
                    .matcher(logs.text());
            assertThat(opened.find()).as(logs.text()).isTrue();
            assertThat(Integer.parseInt(opened.group(1))).isBetween(5, 20);
            assertThat(dump.table("g_grown")).hasSize(20000);
        }
    }

    @Test
    void should_read_everything_on_one_connection_at_parallelism_one() {
        try (CapturedLogs logs = new CapturedLogs()) {
            Dump dump = dumpAt(1, "none");

            assertThat(logs.text()).contains(" pieces on 1 connection \n").doesNotContain("1 connections");
            assertThat(dump.table("a_dense")).hasSize(5000);
        }
    }
}
