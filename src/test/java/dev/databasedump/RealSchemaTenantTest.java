package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's dump of a schema of the shape public ones have (tenants/every-type.sql): every value type to_json renders
 * on the foreign-key paths, uuid, text, numeric and timestamp keys, keys whose two ends have different types, a
 * composite key mixing them, tenant columns of two types, JSON nulls beside SQL NULLs. Every road a tenant dump goes
 * down passes: verify, verify after upload, a restore into an empty copy, and the three imports.
 */
class RealSchemaTenantTest extends DumpIntegrationTest {

    private static final String SCHEMA = "/tenants/every-type.sql";
    /** Where each json and jsonb column is NULL and where it is JSON null, row by row: what to_json cannot show. */
    private static final String NULLS = """
            SELECT string_agg(id || ':' || coalesce(json_typeof(j), 'NULL') || '/' || coalesce(jsonb_typeof(jb_scalar),
                   'NULL') || '/' || coalesce(jsonb_typeof(pl), 'NULL') || '/' || coalesce(jsonb_typeof(jb), 'NULL'),
                   ' ' ORDER BY id) FROM documents""";

    @BeforeEach
    void schema() {
        db.executeScript(SCHEMA);
    }

    private Map<String, String> tenantSettings(TestDatabase source) {
        Map<String, String> settings = settings();
        settings.put("dump.db.url", source.url());
        settings.put("dump.tenant.column", "tenant_id");
        settings.put("dump.tenant.table", "tenants");
        return settings;
    }

    private TestDatabase emptyCopy() throws Exception {
        TestDatabase copy = TestDatabase.create();
        String script = TenantDumpTest.script(SCHEMA);
        copy.execute(script.substring(0, script.indexOf("\n-- rows")));
        return copy;
    }

    private String tenantData(TestDatabase database, String tenant) {
        return tenantDump(tenantSettings(database), tenant).data().toString();
    }

    private JsonNode restore(Map<String, String> settings, String key) throws Exception {
        try (DumpApplication app = DumpApplication.start(settings)) {
            return StoredDump.EXACT_JSON.readTree(app.restore(key));
        }
    }

    @Test
    void should_dump_verify_and_restore_a_tenant_whose_rows_hold_every_type_over_keys_of_mixed_types()
            throws Exception {
        Map<String, String> settings = tenantSettings(db);
        settings.put("dump.verify-after-upload", "true");

        Dump dump = tenantDump(settings, "1");

        assertThat(dump.key()).startsWith("dumps/tenants/1/");
        assertThat(dump.table("documents")).hasSize(2);
        assertThat(dump.table("event_notes")).as("through the composite timestamp-to-timestamptz key").hasSize(2);
        assertThat(dump.table("regions")).as("a char(8) value names a char(5) key").hasSize(1);
        assertThat(dump.table("calendar")).as("a date names a timestamp key").hasSize(2);
        assertThat(dump.table("rates")).as("numeric(10,2) 10.50 names numeric 10.5").hasSize(2);
        assertThat(dump.stored().json()).doesNotContain("Globex", "globex");
        JsonNode report;
        try (DumpApplication app = DumpApplication.start(settings)) {
            report = StoredDump.EXACT_JSON.readTree(app.verify(dump.key()));
        }
        assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.at("/references/checked").asLong()).as("every non-NULL reference").isEqualTo(20);
        assertThat(report.at("/references/unresolved").asLong()).isZero();
        try (TestDatabase copy = emptyCopy()) {
            settings.put("dump.restore.db.url", copy.url());
            JsonNode summary = restore(settings, dump.key());

            assertThat(summary.get("rows").asLong()).isEqualTo(dump.metadata().get("total_rows").asLong());
            assertThat(tenantData(copy, "1")).isEqualTo(dump.data().toString());
            assertThat(copy.strings(NULLS)).as("SQL NULL and JSON null, each where it was")
                    .isEqualTo(db.strings(NULLS.replace("FROM documents",
                            "FROM documents WHERE invoice_id IN (100, 101)")));
        }
    }

    @Test
    void should_import_a_tenant_of_every_type_into_a_database_of_others_leaving_them_as_they_were()
            throws Exception {
        String one = tenantData(db, "1");
        String nulls = db.strings(NULLS).get(0);
        try (TestDatabase target = TestDatabase.create()) {
            target.executeScript(SCHEMA);
            target.execute("DELETE FROM documents WHERE invoice_id IN (100, 101)",
                    "DELETE FROM line_items WHERE invoice_id IN (100, 101)", "DELETE FROM invoices WHERE tenant_id = 1",
                    "DELETE FROM event_notes WHERE event_kind = 'closed' OR event_at < '2026-02-01'",
                    "DELETE FROM events WHERE tenant_id = 1", "DELETE FROM accounts WHERE tenant_id = 1",
                    "DELETE FROM tenants WHERE id = 1");
            String two = tenantData(target, "2");
            Map<String, String> settings = tenantSettings(db);
            settings.put("dump.restore.db.url", target.url());
            Dump dump = tenantDump(tenantSettings(db), "1");

            JsonNode inserted = restore(settings, dump.key());
            assertThat(tenantData(target, "1")).isEqualTo(one);
            assertThat(tenantData(target, "2")).isEqualTo(two);
            assertThat(target.strings(NULLS).get(0)).isEqualTo(nulls);
            assertThat(inserted.at("/tenant_import/tables/documents/inserted").asLong()).isEqualTo(2);

            // Replace from the same dump: nothing changed, so nothing is rewritten, JSON nulls included.
            settings.put("dump.restore.tenant-mode", "replace");
            JsonNode replaced = restore(settings, dump.key());
            assertThat(replaced.at("/tenant_import/tables/documents/unchanged").asLong()).isEqualTo(2);
            assertThat(replaced.at("/tenant_import/tables/documents/deleted").asLong()).isZero();
            assertThat(replaced.at("/tenant_import/tables/documents/inserted").asLong()).isZero();
            assertThat(tenantData(target, "1")).isEqualTo(one);
            assertThat(target.strings(NULLS).get(0)).isEqualTo(nulls);

            // Back out of a full dump of the source, after the target's copy was damaged.
            target.execute("UPDATE documents SET j = NULL, jb_scalar = NULL WHERE id = 2",
                    "UPDATE accounts SET profile = '{}' WHERE tenant_id = 1");
            String full;
            try (DumpApplication app = DumpApplication.start(tenantSettings(db))) {
                full = StoredDump.EXACT_JSON.readTree(app.dump()).get("key").asText();
            }
            settings.put("dump.restore.tenant", "1");
            JsonNode recovered = restore(settings, full);
            assertThat(recovered.at("/tenant_import/tables/documents/deleted").asLong()).as("the damaged row")
                    .isEqualTo(1);
            assertThat(tenantData(target, "1")).isEqualTo(one);
            assertThat(tenantData(target, "2")).isEqualTo(two);
            assertThat(target.strings(NULLS).get(0)).isEqualTo(nulls);
        }
    }

    @Test
    void should_verify_a_reported_dump_counting_the_declared_references_apart_from_damage() throws Exception {
        // Tenant 1's invoice names tenant 2's account: reported, exported without the account.
        db.execute("UPDATE invoices SET account_id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' WHERE id = 101");
        Map<String, String> settings = tenantSettings(db);
        settings.put("dump.tenant.cross-references", "report");
        settings.put("dump.verify-after-upload", "true");

        Dump dump = tenantDump(settings, "1");

        assertThat(dump.metadata().at("/scope/cross_references_total").asLong()).isEqualTo(1);
        JsonNode report;
        try (DumpApplication app = DumpApplication.start(settings)) {
            report = StoredDump.EXACT_JSON.readTree(app.verify(dump.key()));
        }
        assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.at("/references/declared_dangling").asLong()).isEqualTo(1);
        assertThat(report.at("/references/unresolved").asLong()).isZero();
    }

    @Test
    void should_fail_verify_on_a_dangling_reference_the_metadata_does_not_declare_saying_both_counts()
            throws Exception {
        db.execute("UPDATE invoices SET account_id = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' WHERE id = 101");
        Map<String, String> settings = tenantSettings(db);
        settings.put("dump.tenant.cross-references", "report");
        Dump dump = tenantDump(settings, "1");
        // A second dangling reference the metadata knows nothing of: the stored document changed after the dump.
        String document = dump.stored().json().replace("\"region\":\"north   \"", "\"region\":\"east    \"");
        StoredDump.replace(s3.client(), bucket, dump.key(), document.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                true);

        JsonNode report;
        try (DumpApplication app = DumpApplication.start(settings)) {
            report = StoredDump.EXACT_JSON.readTree(app.verify(dump.key()));
        }

        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.at("/references/unresolved").asLong()).isEqualTo(1);
        assertThat(report.at("/references/declared_dangling").asLong()).isEqualTo(1);
        assertThat(report.get("problem").asText()).startsWith("1 foreign-key value of the document resolves to no"
                + " row in it (besides the 1 the metadata declares as references to other tenants' rows): row 1 of"
                + " accounts (region east) references no row of regions through accounts_region_fkey");
    }

    @Test
    void should_restore_a_full_dump_exactly_null_for_null() throws Exception {
        Dump dump = dump(tenantSettings(db));
        try (TestDatabase copy = emptyCopy()) {
            Map<String, String> settings = tenantSettings(db);
            settings.put("dump.restore.db.url", copy.url());

            restore(settings, dump.key());

            assertThat(copy.strings(NULLS)).isEqualTo(db.strings(NULLS));
            assertThat(copy.strings("SELECT count(*) FROM labels WHERE json_typeof(meta) = 'null'"))
                    .containsExactly("1");
            assertThat(dump.metadata().at("/json_nulls/documents/j").toString()).isEqualTo("[[2,2]]");
            assertThat(dump.metadata().at("/json_nulls/labels/meta").toString()).as("plain, first by key").isEqualTo("[[1,1]]");
        }
    }

    static List<String> sorted(List<String> values) {
        return values.stream().sorted().toList();
    }
}
