package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A dump loaded back into a fresh copy of its schema is exactly the data it was taken from. */
class RestoreTest extends DumpIntegrationTest {

    private TestDatabase target;

    @BeforeEach
    void targetWithTheSameSchema() {
        target = TestDatabase.create();
    }

    @AfterEach
    void dropTarget() {
        target.close();
    }

    private Map<String, String> restoreSettings() {
        Map<String, String> settings = settings();
        settings.put("dump.restore.db.url", target.url());
        settings.put("dump.restore.db.user", target.adminUser());
        return settings;
    }

    private JsonNode restore(Map<String, String> settings, String key) throws Exception {
        try (DumpApplication app = DumpApplication.start(settings)) {
            return StoredDump.EXACT_JSON.readTree(app.restore(key));
        }
    }

    /** The document from "data" on: what a second dump of the target must equal byte for byte. */
    private static String dataOf(Dump dump) {
        String json = dump.stored().json();
        return json.substring(json.indexOf(",\n\"data\":{"));
    }

    private String dataOfTarget() {
        Map<String, String> ofTarget = settings();
        ofTarget.put("dump.db.url", target.url());
        return dataOf(dump(ofTarget));
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(strings = {"none", "gzip"})
    void should_restore_every_kind_of_table_exactly_without_firing_triggers(String compression) throws Exception {
        for (TestDatabase database : new TestDatabase[] {db, target}) {
            database.executeScript("/restore/every-kind-of-table.sql");
        }
        db.executeScript("/restore/every-kind-of-table-rows.sql");
        Map<String, String> settings = restoreSettings();
        settings.put("dump.compression", compression);
        Dump source = dump(settings);

        JsonNode summary = restore(settings, source.key());

        assertThat(dataOfTarget()).isEqualTo(dataOf(source));
        assertThat(summary.get("rows").asLong()).isEqualTo(source.metadata().get("total_rows").asLong());
        assertThat(summary.get("tables").asInt()).isEqualTo(source.metadata().get("total_tables").asInt());
        assertThat(summary.get("triggers").asText()).isEqualTo("replica");
        // The audit trigger did not write a second copy of the audit rows, nor did the updated_at trigger touch them.
        assertThat(target.count("SELECT count(*) FROM audit_log")).isEqualTo(db.count("SELECT count(*) FROM audit_log"));
        assertThat(target.strings("SELECT updated_at::text FROM cases WHERE id = 1"))
                .containsExactly("2020-01-01 01:00:00+00");
        // Sequences continue past the restored rows, where the source's would.
        assertThat(target.count("SELECT nextval('cases_id_seq')")).isEqualTo(31);
        assertThat(target.count("SELECT nextval('organizations_id_seq')")).isEqualTo(6);
        assertThat(target.count("SELECT nextval('invoice_numbers')")).isEqualTo(1003);
        target.execute("INSERT INTO measurements (celsius) VALUES (0)");
        assertThat(target.count("SELECT max(id) FROM measurements")).isEqualTo(3);
    }

    @Test
    void should_restore_as_the_tables_owner_where_replica_mode_is_not_allowed() throws Exception {
        String owner = target.name() + "_owner";
        db.executeScript("/restore/every-kind-of-table.sql");
        db.executeScript("/restore/every-kind-of-table-rows.sql");
        target.execute("CREATE ROLE " + owner + " LOGIN", "GRANT CREATE ON DATABASE " + target.name() + " TO " + owner,
                "GRANT CREATE ON SCHEMA public TO " + owner);
        try {
            // The owner creates the schema; forced row security would bind even the owner, so it is not forced here.
            target.execute("SET ROLE " + owner + ";\n" + script("/restore/every-kind-of-table.sql")
                    + ";\nALTER TABLE tenant_secrets NO FORCE ROW LEVEL SECURITY");
            Map<String, String> settings = restoreSettings();
            settings.put("dump.restore.db.user", owner);
            Dump source = dump(settings);

            JsonNode summary = restore(settings, source.key());

            assertThat(summary.get("triggers").asText()).isEqualTo("owner");
            assertThat(dataOfTarget()).isEqualTo(dataOf(source));
            assertThat(target.count("SELECT count(*) FROM audit_log")).isEqualTo(db.count("SELECT count(*) FROM audit_log"));
            assertThat(target.count("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'O'"))
                    .as("triggers enabled again").isZero();
            assertThat(target.count("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND condeferrable"))
                    .as("foreign keys not deferrable again").isZero();
        } finally {
            target.execute("DROP OWNED BY " + owner);
            target.close();
            target = TestDatabase.create();
            db.execute("DROP ROLE " + owner);
        }
    }

    @Test
    void should_refuse_a_role_that_may_neither_use_replica_mode_nor_own_the_tables() {
        String writer = target.name() + "_writer";
        for (TestDatabase database : new TestDatabase[] {db, target}) {
            database.executeScript("/restore/every-kind-of-table.sql");
        }
        db.executeScript("/restore/every-kind-of-table-rows.sql");
        target.execute("CREATE ROLE " + writer + " LOGIN BYPASSRLS",
                "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO " + writer,
                "GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + writer);
        try {
            Map<String, String> settings = restoreSettings();
            settings.put("dump.restore.db.user", writer);
            Dump source = dump(settings);

            Throwable failure;
            try (DumpApplication app = DumpApplication.start(settings)) {
                failure = org.assertj.core.api.Assertions.catchThrowable(() -> app.restore(source.key()));
            }

            assertThat(failure.getCause().getMessage()).startsWith("role " + writer + " may neither set"
                    + " session_replication_role = replica").endsWith("nothing was restored").doesNotContain("\n");
            assertThat(target.count("SELECT count(*) FROM cases")).isZero();
        } finally {
            target.execute("DROP OWNED BY " + writer, "DROP ROLE " + writer);
        }
    }

    @Test
    void should_match_schema_qualified_tables_and_give_columns_the_dump_lacks_their_defaults() throws Exception {
        String schema = "CREATE SCHEMA app; CREATE TABLE public.cases (id int PRIMARY KEY, title text);"
                + " CREATE TABLE app.cases (id int PRIMARY KEY, title text)";
        db.execute(schema, "INSERT INTO public.cases VALUES (1, 'public one')",
                "INSERT INTO app.cases VALUES (1, 'app one'), (2, 'app two')");
        target.execute(schema, "ALTER TABLE app.cases ADD COLUMN restored_by text NOT NULL DEFAULT 'restore'");
        Map<String, String> settings = restoreSettings();
        settings.put("dump.schemas", "public, app");
        Dump source = dump(settings);
        assertThat(source.data().has("app.cases")).isTrue();

        restore(settings, source.key());

        assertThat(target.strings("SELECT title FROM public.cases")).containsExactly("public one");
        assertThat(target.strings("SELECT title || ' by ' || restored_by FROM app.cases ORDER BY id"))
                .containsExactly("app one by restore", "app two by restore");
    }

    @Test
    void should_restore_the_sample_legal_practice_schema_exactly() throws Exception {
        String sample = java.nio.file.Files.readString(java.nio.file.Path.of("scripts/sample-schema.sql"));
        // The quick start's own script, its tables without its rows: never a copy that could drift from it.
        String schemaOnly = sample.substring(0, sample.indexOf("\nINSERT "));
        for (TestDatabase database : new TestDatabase[] {db, target}) {
            database.execute(schemaOnly);
        }
        db.execute(sample);
        Dump source = dump(restoreSettings());

        restore(restoreSettings(), "latest");

        assertThat(dataOfTarget()).isEqualTo(dataOf(source));
        assertThat(target.count("SELECT nextval('audit_log_id_seq')")).isEqualTo(1201);
    }

    @Test
    void should_fail_naming_the_table_whose_json_holds_an_escaped_nul_and_write_nothing() {
        // json keeps \u0000 as text; no text value can hold it, and the server reads every string of a row as text.
        String schema = "CREATE TABLE a_clients (id int PRIMARY KEY); CREATE TABLE raw_events (id int PRIMARY KEY,"
                + " body json)";
        db.execute(schema, "INSERT INTO a_clients VALUES (1)",
                "INSERT INTO raw_events VALUES (1, '{\"bytes\": \"a\\u0000b\"}')");
        target.execute(schema);
        Dump source = dump(restoreSettings());

        Throwable failure;
        try (DumpApplication app = DumpApplication.start(restoreSettings())) {
            failure = org.assertj.core.api.Assertions.catchThrowable(() -> app.restore(source.key()));
        }

        assertThat(failure.getCause().getMessage()).isEqualTo("restoring table public.raw_events failed: ERROR:"
                + " unsupported Unicode escape sequence");
        assertThat(target.count("SELECT count(*) FROM a_clients")).as("nothing written").isZero();
    }

    @Test
    void should_restore_a_format_1_dump_and_set_sequences_past_the_restored_rows() throws Exception {
        String schema = "CREATE TABLE cases (id serial PRIMARY KEY, title text);"
                + " CREATE TABLE notes (n int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, body text)";
        db.execute(schema, "INSERT INTO cases (title) SELECT 'case ' || g FROM generate_series(1, 12) g",
                "INSERT INTO notes (body) VALUES ('a'), ('b')");
        target.execute(schema);
        Dump source = dump(restoreSettings());
        // What an earlier version wrote: no column types, sequences or session settings, format_version 1.
        JsonNode document = source.document();
        com.fasterxml.jackson.databind.node.ObjectNode metadata = (com.fasterxml.jackson.databind.node.ObjectNode)
                document.get("metadata");
        metadata.put("format_version", 1);
        metadata.remove(java.util.List.of("sequences", "session_settings"));
        metadata.get("tables_summary").forEach(table -> ((com.fasterxml.jackson.databind.node.ObjectNode) table)
                .remove("column_types"));
        byte[] older = StoredDump.EXACT_JSON.writeValueAsBytes(document);
        String olderKey = "dumps/full-dump-20200101T000000.000Z.json";
        s3.client().putObject(b -> b.bucket(bucket).key(olderKey), software.amazon.awssdk.core.sync.RequestBody
                .fromBytes(older));
        s3.client().putObject(b -> b.bucket(bucket).key(olderKey + ".sha256"), software.amazon.awssdk.core.sync
                .RequestBody.fromString(sha256(older) + "  full-dump-20200101T000000.000Z.json\n"));

        JsonNode summary = restore(restoreSettings(), olderKey);

        assertThat(summary.get("rows").asLong()).isEqualTo(14);
        assertThat(target.count("SELECT nextval('cases_id_seq')")).isEqualTo(13);
        assertThat(target.count("SELECT nextval(pg_get_serial_sequence('notes', 'n'))")).isEqualTo(3);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String script(String resource) throws java.io.IOException {
        try (var in = RestoreTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
