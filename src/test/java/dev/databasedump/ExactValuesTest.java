package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.support.DumpIntegrationTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExactValuesTest extends DumpIntegrationTest {

    @BeforeEach
    void awkwardSchema() {
        db.execute(
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TYPE address AS (street text, zip int)",
                """
                CREATE TABLE "Awkward Table" (
                  id int PRIMARY KEY,
                  t text,
                  "select" int,
                  "with space" text,
                  "quote""d" text,
                  "ünïcödé" text,
                  big numeric,
                  bi bigint,
                  f8 float8,
                  ts timestamp,
                  tstz timestamptz,
                  d date,
                  iv interval,
                  rng int4range,
                  tsrng tstzrange,
                  b bytea,
                  j json,
                  jb jsonb,
                  arr int[],
                  arr2 text[],
                  comp address,
                  m mood,
                  u uuid,
                  ip inet,
                  nothing text
                )""",
                """
                INSERT INTO "Awkward Table" VALUES (
                  1, 'column named like the alias', 7, 'a b', 'q"d', 'Grüße, 世界 \u2603',
                  12345678901234567890.123456789012345678901234567890, 9223372036854775807, 0.1,
                  '2026-02-16 20:30:00', '2026-02-16 20:30:00.123456+02', '2026-02-16',
                  '1 year 2 months 3 days 04:05:06.789', '[1,5)', '[2026-01-01 00:00+00,2026-02-01 00:00+00)',
                  '\\x00ff10', '{"b": 1,  "a": [1, 2.50]}', '{"b": 1, "a": {"nested": [true, null]}}',
                  '{1,2,3}', '{{"a","b"},{"c","d"}}', ROW('Main St', 12345), 'happy',
                  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.0.1/24', NULL)""",
                """
                INSERT INTO "Awkward Table" (id, big, f8) VALUES (2, 'NaN', 'Infinity'), (3, -0.000000000000000000001, '-Infinity')""",
                "CREATE TABLE t (t int PRIMARY KEY, x text)",
                "INSERT INTO t VALUES (1, 'table and column named like the alias')");
    }

    @Test
    void should_store_each_row_exactly_as_postgres_to_json_renders_it() throws Exception {
        Dump dump = dump();

        // One row per line in the document, each followed by a comma except the last of its table.
        List<String> documentLines = dump.stored().json().lines()
                .map(line -> line.endsWith(",") ? line.substring(0, line.length() - 1) : line).toList();
        List<String> expected = new ArrayList<>();
        expected.addAll(psqlRows("SELECT to_json(x.*) FROM \"Awkward Table\" x"));
        expected.addAll(psqlRows("SELECT to_json(x.*) FROM t x"));
        assertThat(expected).hasSize(4);
        assertThat(documentLines).containsAll(expected);
    }

    @Test
    void should_keep_every_digit_and_type_of_awkward_values() {
        Dump dump = dump();

        String json = dump.stored().json();
        assertThat(json)
                .contains("\"t\":\"column named like the alias\"")
                .contains("\"select\":7,\"with space\":\"a b\",\"quote\\\"d\":\"q\\\"d\",\"ünïcödé\":\"Grüße, 世界 \u2603\"")
                .contains("\"big\":12345678901234567890.123456789012345678901234567890")
                .contains("\"bi\":9223372036854775807")
                .contains("\"big\":\"NaN\",\"bi\":null,\"f8\":\"Infinity\"")
                .contains("\"big\":-0.000000000000000000001")
                .contains("\"ts\":\"2026-02-16T20:30:00\",\"tstz\":\"2026-02-16T18:30:00.123456+00:00\",\"d\":\"2026-02-16\"")
                .contains("\"iv\":\"1 year 2 mons 3 days 04:05:06.789\"")
                .contains("\"rng\":\"[1,5)\"")
                .contains("\"b\":\"\\\\x00ff10\"")
                .contains("\"j\":{\"b\": 1,  \"a\": [1, 2.50]}")
                .contains("\"jb\":{\"a\": {\"nested\": [true, null]}, \"b\": 1}")
                .contains("\"arr\":[1,2,3],\"arr2\":[[\"a\",\"b\"],[\"c\",\"d\"]]")
                .contains("\"comp\":{\"street\":\"Main St\",\"zip\":12345},\"m\":\"happy\"")
                .contains("\"ip\":\"192.168.0.1/24\",\"nothing\":null")
                .contains("{\"t\":1,\"x\":\"table and column named like the alias\"}");
        assertThat(TableSelectionTest.fieldNames(dump.table("Awkward Table").get(0))).startsWith(
                "id", "t", "select", "with space", "quote\"d", "ünïcödé", "big");
    }

    /** Rows as a separate client, psql, receives them: the reference the dump must equal. */
    private List<String> psqlRows(String sql) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", db.adminUser(), "-d", db.name(),
                "-At", "-v", "ON_ERROR_STOP=1", "-c", sql);
        builder.environment().put("PGTZ", "UTC");
        builder.redirectErrorStream(true);
        Process psql = builder.start();
        String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(psql.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as(out).isZero();
        return new ArrayList<>(out.lines().toList());
    }

}
