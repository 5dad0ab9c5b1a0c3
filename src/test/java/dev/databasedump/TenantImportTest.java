package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One tenant's data back into a database that holds other tenants' (tenants/legal-tenants.sql): a tenant dump into
 * staging, a tenant replaced from its earlier dump, one tenant brought back out of a full dump; and what an import
 * refuses, changing nothing. The proof is by round trip: dumped again, the tenant is as it was, every other tenant as
 * it is.
 */
class TenantImportTest extends DumpIntegrationTest {

    private TestDatabase staging;

    @BeforeEach
    void databases() throws Exception {
        db.executeScript("/tenants/legal-tenants.sql");
        staging = TestDatabase.create();
        staging.executeScript("/tenants/legal-tenants.sql");
        staging.executeScript("/tenants/without-acme.sql");
    }

    @AfterEach
    void dropStaging() {
        staging.close();
    }

    private Map<String, String> settings(TestDatabase source, TestDatabase target) {
        Map<String, String> settings = settings();
        settings.put("dump.db.url", source.url());
        settings.put("dump.restore.db.url", target.url());
        settings.put("dump.tenant.column", "tenant_id");
        settings.put("dump.tenant.table", "tenants");
        return settings;
    }

    /** The data section of a tenant's dump of {@code database}: what the tenant's admin would get. */
    private String tenantData(TestDatabase database, String tenant) {
        return tenantDump(settings(database, database), tenant).data().toString();
    }

    private JsonNode restore(Map<String, String> settings, String key) throws Exception {
        try (DumpApplication app = DumpApplication.start(settings)) {
            return StoredDump.EXACT_JSON.readTree(app.restore(key));
        }
    }

    private Throwable refusedRestore(Map<String, String> settings, String key) {
        try (DumpApplication app = DumpApplication.start(settings)) {
            Throwable failure = catchThrowable(() -> app.restore(key));
            assertThat(failure).as("the restore should have been refused").isNotNull();
            return failure.getCause() != null ? failure.getCause() : failure;
        }
    }

    @Test
    void should_import_a_tenant_into_a_database_holding_others_so_that_it_dumps_back_the_same() throws Exception {
        String acme = tenantData(db, "acme");
        String globex = tenantData(staging, "globex");
        String initech = tenantData(staging, "initech");
        Dump dump = tenantDump(settings(db, staging), "acme");
        // The staging copy's sequence has moved on with its own tenants' rows: an import never moves it back.
        staging.execute("SELECT setval('time_entries_id_seq', 500)");

        JsonNode summary = restore(settings(db, staging), dump.key());

        assertThat(tenantData(staging, "acme")).isEqualTo(acme);
        assertThat(tenantData(staging, "globex")).isEqualTo(globex);
        assertThat(tenantData(staging, "initech")).isEqualTo(initech);
        assertThat(summary.at("/tenant_import/tenant").asText()).isEqualTo("acme");
        assertThat(summary.at("/tenant_import/mode").asText()).isEqualTo("insert");
        assertThat(summary.at("/tenant_import/tables/cases/inserted").asLong()).isEqualTo(2);
        assertThat(summary.at("/tenant_import/tables/users/kept").asLong()).as("shared rows the target holds alike")
                .isEqualTo(2);
        assertThat(summary.at("/tenant_import/tables/users/inserted").asLong()).isZero();
        assertThat(staging.count("SELECT nextval('time_entries_id_seq')")).isEqualTo(501);
    }

    @Test
    void should_replace_a_tenants_changed_and_deleted_rows_with_its_earlier_dump_leaving_the_others_alone()
            throws Exception {
        String acme = tenantData(db, "acme");
        Dump earlier = tenantDump(settings(db, db), "acme");
        db.execute("UPDATE cases SET title = 'Renamed' WHERE id = 100", "DELETE FROM document_versions WHERE id = 10001",
                "DELETE FROM folders WHERE id IN (6, 3)", "INSERT INTO cases VALUES (102, 'acme', 10, NULL, 4, 'New')",
                "INSERT INTO documents VALUES (1002, 102, 'New document')",
                // Another tenant's work of the day, which the replace must keep.
                "INSERT INTO cases VALUES (201, 'globex', 20, 'adv', 3, 'Globex, later')");
        String globex = tenantData(db, "globex");
        String initech = tenantData(db, "initech");
        String untouched = db.strings("SELECT xmin::text || ctid::text FROM cases WHERE id = 101").get(0);
        Map<String, String> settings = settings(db, db);
        settings.put("dump.restore.tenant-mode", "replace");

        JsonNode summary = restore(settings, earlier.key());

        assertThat(tenantData(db, "acme")).isEqualTo(acme);
        assertThat(tenantData(db, "globex")).isEqualTo(globex).contains("Globex, later");
        assertThat(tenantData(db, "initech")).isEqualTo(initech);
        assertThat(summary.at("/tenant_import/tables/cases/deleted").asLong()).as("the renamed and the new case")
                .isEqualTo(2);
        assertThat(summary.at("/tenant_import/tables/cases/inserted").asLong()).as("the case as it was").isEqualTo(1);
        assertThat(summary.at("/tenant_import/tables/cases/unchanged").asLong()).isEqualTo(1);
        assertThat(db.strings("SELECT xmin::text || ctid::text FROM cases WHERE id = 101")).as("never rewritten")
                .containsExactly(untouched);
        assertThat(summary.at("/tenant_import/tables/documents/deleted").asLong()).as("the new document")
                .isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM users")).as("shared rows never deleted").isEqualTo(5);
    }

    @Test
    void should_bring_one_tenant_back_out_of_a_full_dump_leaving_every_other_tenants_day_of_work() throws Exception {
        String acme = tenantData(db, "acme");
        String key;
        try (DumpApplication app = DumpApplication.start(settings(db, db))) {
            key = StoredDump.EXACT_JSON.readTree(app.dump()).get("key").asText();
        }
        db.execute("DELETE FROM document_versions WHERE document_id = 1000", "DELETE FROM documents WHERE id = 1000",
                "UPDATE clients SET name = 'Damaged' WHERE tenant_id = 'acme'",
                "INSERT INTO tasks VALUES (4, 'globex', 200, 'Globex, later')");
        String globex = tenantData(db, "globex");
        Map<String, String> settings = settings(db, db);
        settings.put("dump.restore.tenant", "acme");
        settings.put("dump.restore.tenant-mode", "replace");

        JsonNode summary = restore(settings, key);

        assertThat(tenantData(db, "acme")).isEqualTo(acme);
        assertThat(tenantData(db, "globex")).isEqualTo(globex).contains("Globex, later");
        assertThat(summary.at("/tenant_import/tables/documents/deleted").asLong()).isZero();
        assertThat(summary.at("/tenant_import/tables/documents/inserted").asLong()).as("the deleted one")
                .isEqualTo(1);
        assertThat(summary.at("/tenant_import/tables/documents/unchanged").asLong()).isEqualTo(1);
        assertThat(summary.at("/tenant_import/tables/clients/deleted").asLong()).as("both damaged").isEqualTo(2);
        assertThat(summary.at("/tenant_import/tables/clients/inserted").asLong()).isEqualTo(2);
        assertThat(summary.at("/tenant_import/tables/app_settings").isMissingNode()).as("not the tenant's").isTrue();
    }

    @Test
    void should_refuse_a_tenant_that_is_there_already_unless_asked_to_replace_it_changing_nothing() throws Exception {
        Dump dump = tenantDump(settings(db, db), "acme");
        String before = db.strings("SELECT count(*) FROM cases").toString();

        Throwable refused = refusedRestore(settings(db, db), dump.key());

        assertThat(refused.getMessage()).isEqualTo("tenant acme is in the target already: public.cases holds its rows"
                + " (set dump.restore.tenant-mode=replace to replace them); nothing was restored");
        assertThat(db.strings("SELECT count(*) FROM cases").toString()).isEqualTo(before);
    }

    @Test
    void should_refuse_a_shared_row_the_target_holds_with_other_content_unless_told_to_keep_the_targets()
            throws Exception {
        Dump dump = tenantDump(settings(db, staging), "acme");
        staging.execute("UPDATE users SET email = 'changed@example.com' WHERE id = 2");
        String globex = tenantData(staging, "globex");

        Throwable refused = refusedRestore(settings(db, staging), dump.key());

        assertThat(refused.getMessage()).isEqualTo("the target holds shared row {\"id\" : 2} of public.users with other"
                + " content than the dump's (set dump.restore.shared-rows=keep-target to keep the target's); nothing"
                + " was restored");
        assertThat(staging.count("SELECT count(*) FROM cases WHERE tenant_id = 'acme'")).isZero();
        assertThat(tenantData(staging, "globex")).isEqualTo(globex);

        Map<String, String> keepTarget = settings(db, staging);
        keepTarget.put("dump.restore.shared-rows", "keep-target");
        JsonNode summary = restore(keepTarget, dump.key());

        assertThat(staging.strings("SELECT email FROM users WHERE id = 2")).containsExactly("changed@example.com");
        assertThat(staging.count("SELECT count(*) FROM cases WHERE tenant_id = 'acme'")).isEqualTo(2);
        assertThat(summary.at("/tenant_import/shared_rows").asText()).isEqualTo("keep-target");
    }

    @Test
    void should_refuse_an_id_that_another_tenant_holds_in_the_target_naming_table_constraint_and_key()
            throws Exception {
        Dump dump = tenantDump(settings(db, staging), "acme");
        staging.execute("INSERT INTO cases VALUES (100, 'globex', 20, NULL, NULL, 'Globex took this id')");
        String globex = tenantData(staging, "globex");

        Throwable refused = refusedRestore(settings(db, staging), dump.key());

        assertThat(refused.getMessage()).isEqualTo("rows of public.cases collide on cases_pkey with rows of another"
                + " tenant's already in the target: {\"id\" : 100} (ids are not remapped); nothing was restored");
        assertThat(tenantData(staging, "globex")).isEqualTo(globex);
        assertThat(staging.count("SELECT count(*) FROM clients WHERE tenant_id = 'acme'")).isZero();
    }

    @Test
    void should_refuse_a_collision_on_a_deferrable_unique_key_which_cannot_arbitrate_an_insert() throws Exception {
        Dump dump = tenantDump(settings(db, staging), "acme");
        staging.execute("ALTER TABLE cases ADD CONSTRAINT cases_title_once UNIQUE (title) DEFERRABLE INITIALLY DEFERRED",
                "INSERT INTO cases VALUES (299, 'globex', 20, NULL, NULL, 'Acme v. Roadrunner')");

        Throwable refused = refusedRestore(settings(db, staging), dump.key());

        assertThat(refused.getMessage()).startsWith("rows of public.cases collide on cases_title_once with rows of"
                + " another tenant's already in the target: {\"title\" : \"Acme v. Roadrunner\"}");
        assertThat(staging.count("SELECT count(*) FROM clients WHERE tenant_id = 'acme'")).isZero();
    }

    @Test
    void should_refuse_dump_rows_that_collide_with_each_other_on_a_unique_key_only_the_target_has() throws Exception {
        db.execute("UPDATE cases SET title = 'Same title' WHERE tenant_id = 'acme'");
        Dump dump = tenantDump(settings(db, staging), "acme");
        staging.execute("CREATE UNIQUE INDEX cases_title_once ON cases (title)");

        Throwable refused = refusedRestore(settings(db, staging), dump.key());

        assertThat(refused.getMessage()).isEqualTo("rows of public.cases in the dump collide with each other on a"
                + " primary or unique key of the target's (1 of them); nothing was restored");
        assertThat(staging.count("SELECT count(*) FROM cases WHERE tenant_id = 'acme'")).isZero();
    }

    @Test
    void should_take_the_same_tenant_parameters_over_http_and_never_from_a_tenant_admin() throws Exception {
        String key;
        try (DumpApplication app = DumpApplication.start(settings(db, db))) {
            key = StoredDump.EXACT_JSON.readTree(app.dump()).get("key").asText();
        }
        db.execute("UPDATE clients SET name = 'Damaged' WHERE tenant_id = 'acme'");
        Map<String, String> settings = settings(db, db);
        settings.put("dump.restore.http-enabled", "true");
        try (dev.databasedump.support.AdminApi api = dev.databasedump.support.AdminApi.start(settings)) {
            String base = "/api/database-dump/restore?key=" + java.net.URLEncoder.encode(key,
                    java.nio.charset.StandardCharsets.UTF_8) + "&tenant=acme";
            String path = base + "&tenant-mode=replace";
            assertThat(api.call("POST", path, dev.databasedump.http.TestTokens.tenantAdmin("acme")).statusCode())
                    .as("tenant admins never restore").isEqualTo(403);
            assertThat(api.call("POST", base + "&tenant-mode=upsert", dev.databasedump.http.TestTokens.admin())
                    .statusCode()).isEqualTo(400);

            var started = api.call("POST", path + "&dry-run=true", dev.databasedump.http.TestTokens.admin());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
            String job = started.headers().firstValue("Location").orElseThrow();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> !StoredDump
                    .EXACT_JSON.readTree(api.call("GET", job, dev.databasedump.http.TestTokens.admin()).body())
                    .get("state").asText().equals("running"));
            JsonNode done = StoredDump.EXACT_JSON.readTree(api.call("GET", job,
                    dev.databasedump.http.TestTokens.admin()).body());

            assertThat(done.get("state").asText()).as(done.toString()).isEqualTo("succeeded");
            assertThat(done.at("/summary/tenant_import/dry_run").asBoolean()).isTrue();
            assertThat(done.at("/summary/tenant_import/tables/clients/deleted").asLong()).isEqualTo(2);
            assertThat(db.strings("SELECT DISTINCT name FROM clients WHERE tenant_id = 'acme'"))
                    .containsExactly("Damaged");
        }
    }

    @Test
    void should_report_what_a_dry_run_would_delete_and_insert_and_roll_it_back() throws Exception {
        Dump dump = tenantDump(settings(db, db), "acme");
        db.execute("DELETE FROM document_versions WHERE id = 10001");
        String acmeNow = tenantData(db, "acme");
        Map<String, String> settings = settings(db, db);
        settings.put("dump.restore.tenant-mode", "replace");
        settings.put("dump.restore.dry-run", "true");

        JsonNode summary = restore(settings, dump.key());

        assertThat(summary.at("/tenant_import/dry_run").asBoolean()).isTrue();
        assertThat(summary.at("/tenant_import/tables/document_versions/deleted").asLong()).isZero();
        assertThat(summary.at("/tenant_import/tables/document_versions/inserted").asLong()).as("the deleted one")
                .isEqualTo(1);
        assertThat(summary.at("/tenant_import/tables/document_versions/unchanged").asLong()).isEqualTo(1);
        assertThat(tenantData(db, "acme")).as("rolled back").isEqualTo(acmeNow);
    }
}
