package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.support.DumpIntegrationTest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TableSelectionTest extends DumpIntegrationTest {

    @BeforeEach
    void schemaWithEveryKindOfRelation() {
        db.execute(
                "CREATE TABLE plain (id int PRIMARY KEY, v text)",
                "INSERT INTO plain VALUES (1, 'one'), (2, 'two')",
                "CREATE TABLE parted (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE parted_2025 PARTITION OF parted FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE parted_2026 PARTITION OF parted FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "INSERT INTO parted VALUES (1, '2025-06-01'), (2, '2026-06-01'), (3, '2026-07-01')",
                "CREATE VIEW plain_view AS SELECT * FROM plain",
                "CREATE MATERIALIZED VIEW plain_matview AS SELECT * FROM plain",
                "CREATE EXTENSION file_fdw",
                "CREATE SERVER files FOREIGN DATA WRAPPER file_fdw",
                "CREATE FOREIGN TABLE foreign_rows (line text) SERVER files OPTIONS (filename '/dev/null')",
                "CREATE SCHEMA auth",
                "CREATE TABLE auth.users (id int PRIMARY KEY, encrypted_password text)",
                "INSERT INTO auth.users VALUES (1, 'auth-secret-never-exported')",
                "CREATE SCHEMA app",
                "CREATE TABLE app.settings (id int PRIMARY KEY, v text)",
                "INSERT INTO app.settings VALUES (1, 'app')");
    }

    @Test
    void should_dump_ordinary_and_partitioned_tables_of_public_only() {
        Dump dump = dump();

        assertThat(fieldNames(dump.data())).containsExactly("parted", "plain");
        assertThat(dump.table("parted")).hasSize(3);
        assertThat(dump.stored().json()).doesNotContain("auth-secret-never-exported").doesNotContain("parted_2025");
        assertThat(dump.metadata().get("total_tables").asInt()).isEqualTo(2);
    }

    @Test
    void should_key_tables_by_schema_when_several_schemas_are_dumped() {
        Map<String, String> settings = settings();
        settings.put("dump.schemas", "public, app");

        Dump dump = dump(settings);

        assertThat(fieldNames(dump.data())).containsExactly("public.parted", "public.plain", "app.settings");
    }

    @Test
    void should_apply_include_and_exclude_globs_with_exclusion_winning() {
        Map<String, String> settings = settings();
        settings.put("dump.include-tables", "p*");
        settings.put("dump.exclude-tables", "public.parte?");

        Dump dump = dump(settings);

        assertThat(fieldNames(dump.data())).containsExactly("plain");
    }

    @Test
    void should_fail_naming_a_schema_that_does_not_exist_instead_of_storing_an_empty_dump() {
        Map<String, String> settings = settings();
        settings.put("dump.schemas", "public, nosuchschema");

        Throwable failure = failedDump(settings);

        assertThat(failure.getMessage()).isEqualTo("listing the tables failed: dump.schemas names schema nosuchschema,"
                + " which does not exist in this database");
        assertNothingLeftBehind();
    }

    @Test
    void should_fail_naming_the_schemas_and_filters_when_no_table_is_left_to_dump() {
        Map<String, String> settings = settings();
        settings.put("dump.include-tables", "invoices*");

        Throwable failure = failedDump(settings);

        assertThat(failure.getMessage()).isEqualTo("listing the tables failed: no table to dump in schemas public"
                + " matching dump.include-tables=invoices*; set dump.allow-empty=true to store an empty dump anyway");
        assertNothingLeftBehind();
    }

    @Test
    void should_store_an_empty_dump_when_allowed_explicitly() {
        db.execute("CREATE SCHEMA empty_one");
        Map<String, String> settings = settings();
        settings.put("dump.schemas", "empty_one");
        settings.put("dump.allow-empty", "true");

        Dump dump = dump(settings);

        assertThat(dump.metadata().get("total_tables").asInt()).isZero();
        assertThat(fieldNames(dump.data())).isEmpty();
    }

    static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
