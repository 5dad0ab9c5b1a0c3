package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One tenant's data out of a multi-tenant schema, following its foreign keys: every row of the tenant's, the rows that
 * hang off them, the shared rows they reference, and nothing of another tenant's, whatever the schema's shape (see
 * tenants/legal-tenants.sql: two levels of children, shared users and lookups, a self-referencing tree, a two-table
 * cycle, a composite key, a key to a unique column, a table without a primary key, an unreachable table).
 */
class TenantDumpTest extends DumpIntegrationTest {

    @BeforeEach
    void schema() {
        db.executeScript("/tenants/legal-tenants.sql");
    }

    private Map<String, String> tenantSettings() {
        Map<String, String> settings = settings();
        settings.put("dump.tenant.column", "tenant_id");
        settings.put("dump.tenant.table", "tenants");
        return settings;
    }

    @Test
    void should_export_the_tenants_rows_and_what_they_lead_to_and_nothing_of_another_tenant() {
        Dump dump = tenantDump(tenantSettings(), "acme");

        assertThat(ids(dump, "tenants")).containsExactly("acme");
        assertThat(ids(dump, "clients")).containsExactly("10", "11");
        assertThat(ids(dump, "cases")).containsExactly("100", "101");
        assertThat(ids(dump, "tasks")).containsExactly("1", "2");
        assertThat(ids(dump, "documents")).as("children of the tenant's cases").containsExactly("1000", "1001");
        assertThat(ids(dump, "document_versions")).as("grandchildren; never Globex's, though user 2 wrote one")
                .containsExactly("10000", "10001");
        assertThat(ids(dump, "users")).as("the users the tenant's rows name, and their managers, upward")
                .containsExactly("1", "2");
        assertThat(ids(dump, "case_types")).as("the shared lookup rows the tenant's cases use").containsExactly("lit");
        assertThat(ids(dump, "folders")).as("the whole tree under the tenant's case folder").containsExactly("1", "2",
                "3", "6");
        assertThat(ids(dump, "matters")).as("the cycle followed to its end").containsExactly("1", "2");
        assertThat(ids(dump, "matter_notes")).containsExactly("11", "12");
        assertThat(ids(dump, "invoice_lines")).as("through a composite foreign key").containsExactly("1", "2");
        assertThat(ids(dump, "client_contacts")).as("through a key to a unique column").containsExactly("1");
        assertThat(dump.table("case_events")).as("a table without a primary key, duplicates kept").hasSize(2)
                .allMatch(row -> row.get("case_id").asInt() == 100);
        assertThat(dump.data().has("app_settings")).as("unreachable").isFalse();
        for (String table : List.of("clients", "cases", "tasks", "invoices")) {
            assertThat(dump.table(table)).as(table).allMatch(row -> row.get("tenant_id").asText().equals("acme"));
        }
    }

    @Test
    void should_say_how_each_table_was_reached_and_why_the_others_were_left_out() {
        Dump dump = tenantDump(tenantSettings(), "acme");

        JsonNode scope = dump.metadata().get("scope");
        assertThat(scope.get("tenant").asText()).isEqualTo("acme");
        assertThat(scope.get("tenant_column").asText()).isEqualTo("tenant_id");
        assertThat(scope.get("tenant_table").asText()).isEqualTo("tenants");
        assertThat(scope.at("/tables/tenants/0").asText()).isEqualTo("tenant table (the tenant's own row)");
        assertThat(scope.at("/tables/cases/0").asText()).isEqualTo("tenant column tenant_id");
        assertThat(texts(scope.at("/tables/documents"))).containsExactly("referencing cases through"
                + " documents_case_id_fkey");
        assertThat(texts(scope.at("/tables/users"))).doesNotContain("referencing users through"
                + " users_manager_id_fkey").as("a shared row pulls in its parents, never its children");
        assertThat(texts(scope.at("/tables/users"))).contains("referenced by cases through cases_created_by_fkey",
                "referenced by users through users_manager_id_fkey");
        assertThat(scope.get("left_out")).singleElement().satisfies(left -> {
            assertThat(left.get("table").asText()).isEqualTo("app_settings");
            assertThat(left.get("reason").asText()).contains("no column tenant_id");
        });
        assertThat(dump.metadata().get("sequences")).as("no sequence positions: they count every tenant").isEmpty();
        assertThat(dump.key()).startsWith("dumps/tenants/acme/tenant-dump-");
    }

    @Test
    void should_restore_into_an_empty_copy_of_the_schema_passing_every_foreign_key() throws Exception {
        Map<String, String> settings = tenantSettings();
        Dump dump = tenantDump(settings, "acme");
        try (TestDatabase target = TestDatabase.create()) {
            String schema = script("/tenants/legal-tenants.sql");
            target.execute(schema.substring(0, schema.indexOf("\nINSERT ")));
            settings.put("dump.restore.db.url", target.url());
            JsonNode summary;
            try (DumpApplication app = DumpApplication.start(settings)) {
                summary = StoredDump.EXACT_JSON.readTree(app.restore(dump.key()));
            }
            assertThat(summary.get("rows").asLong()).isEqualTo(dump.metadata().get("total_rows").asLong());
            assertThat(summary.get("foreign_keys").asInt()).as("foreign keys checked").isPositive();
            assertThat(target.count("SELECT count(*) FROM document_versions")).isEqualTo(2);
        }
    }

    @Test
    void should_fail_naming_the_row_and_key_of_a_reference_to_another_tenants_row_and_store_nothing() {
        // Acme's task 2 names Globex's case: exporting it would need Globex's case to resolve.
        db.execute("UPDATE tasks SET case_id = 200 WHERE id = 2");

        Throwable failure = failedDump(tenantSettings(), "acme");

        assertThat(failure.getMessage()).isEqualTo("exporting tenant acme failed: its row {\"id\":2} of tasks"
                + " references another"
                + " tenant's row of cases through tasks_case_id_fkey ({\"case_id\":200}): a tenant dump never"
                + " exports another tenant's row; set dump.tenant.cross-references=report to export the tenant's row"
                + " and list every such reference in the metadata");
        assertNothingLeftBehind();
    }

    @Test
    void should_export_and_list_references_to_other_tenants_rows_when_asked_to_report_them() {
        db.execute("UPDATE tasks SET case_id = 200 WHERE id = 2",
                "INSERT INTO document_versions VALUES (10002, 1001, 3, 'by a globex user')");
        Map<String, String> settings = tenantSettings();
        settings.put("dump.tenant.cross-references", "report");

        Dump dump = tenantDump(settings, "acme");

        assertThat(ids(dump, "tasks")).containsExactly("1", "2");
        assertThat(ids(dump, "cases")).as("never Globex's case itself").containsExactly("100", "101");
        JsonNode listed = dump.metadata().at("/scope/cross_references");
        assertThat(listed).singleElement().satisfies(reference -> {
            assertThat(reference.get("table").asText()).isEqualTo("tasks");
            assertThat(reference.get("foreign_key").asText()).isEqualTo("tasks_case_id_fkey");
            assertThat(reference.at("/key/id").asInt()).isEqualTo(2);
            assertThat(reference.get("references").asText()).isEqualTo("cases");
            assertThat(reference.at("/value/case_id").asInt()).isEqualTo(200);
        });
        assertThat(dump.metadata().at("/scope/cross_references_total").asLong()).isEqualTo(1);
        assertThat(ids(dump, "users")).as("a shared user a row of the tenant's names is no other tenant's row")
                .containsExactly("1", "2", "3", "5");
    }

    @Test
    void should_warn_with_the_statement_that_adds_it_when_a_large_table_lacks_the_index_a_tenant_is_read_by() {
        db.execute("CREATE TABLE audit_events (id int PRIMARY KEY, tenant_id text NOT NULL REFERENCES tenants,"
                        + " note text)",
                "INSERT INTO audit_events SELECT g, CASE WHEN g % 2 = 0 THEN 'acme' ELSE 'globex' END, 'n'"
                        + " FROM generate_series(1, 12000) g",
                "ANALYZE audit_events");
        String warning = "A tenant's dump reads every row of public.audit_events (about 12,000 rows) to find the"
                + " tenant's: it has no index on (tenant_id); CREATE INDEX ON \"public\".\"audit_events\""
                + " (\"tenant_id\");";

        try (CapturedLogs logs = new CapturedLogs()) {
            Dump dump = tenantDump(tenantSettings(), "acme");

            assertThat(logs.text()).contains(warning);
            assertThat(logs.text()).as("a small table without the index is read whole at little cost")
                    .doesNotContain("reads every row of public.time_entries");
            assertThat(dump.table("audit_events")).hasSize(6000);
        }
        db.execute("CREATE INDEX ON audit_events (tenant_id)");
        try (CapturedLogs logs = new CapturedLogs()) {
            tenantDump(tenantSettings(), "acme");

            assertThat(logs.text()).doesNotContain("reads every row");
        }
    }

    @Test
    void should_read_the_tenants_rows_in_one_snapshot_while_others_write() throws Exception {
        Map<String, String> settings = tenantSettings();
        settings.put("dump.parallelism", "2");
        Dump dump;
        try (java.sql.Connection holder = db.holdExclusively("tasks");
             DumpApplication app = DumpApplication.start(settings)) {
            java.util.concurrent.CompletableFuture<String> dumping = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> app.dump("acme"));
            // The dump's snapshot is taken; it waits for its lock on tasks. A case and its document come meanwhile.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> db.dumpSessionsWaitingForALock() == 1);
            db.execute("BEGIN; INSERT INTO cases VALUES (102, 'acme', 10, 'lit', 4, 'Late case');"
                    + " INSERT INTO documents VALUES (1002, 102, 'Late document');"
                    + " INSERT INTO document_versions VALUES (10003, 1002, 4, 'late'); COMMIT");
            holder.rollback();
            dump = Dump.of(dumping.get(60, java.util.concurrent.TimeUnit.SECONDS), s3, bucket);
        }

        assertThat(ids(dump, "cases")).containsExactly("100", "101");
        assertThat(ids(dump, "documents")).containsExactly("1000", "1001");
        assertThat(ids(dump, "document_versions")).containsExactly("10000", "10001");
        assertThat(ids(dump, "users")).as("user 4 named only by the late rows").containsExactly("1", "2");
    }

    @Test
    void should_verify_that_every_foreign_key_value_of_a_tenant_dump_resolves_inside_it() throws Exception {
        Map<String, String> settings = tenantSettings();
        Dump dump = tenantDump(settings, "acme");
        JsonNode report;
        try (DumpApplication app = DumpApplication.start(settings)) {
            report = StoredDump.EXACT_JSON.readTree(app.verify(dump.key()));
        }

        assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.at("/references/ok").asBoolean()).isTrue();
        assertThat(report.at("/references/foreign_keys").asInt()).isEqualTo(dump.metadata()
                .at("/scope/foreign_keys").size()).isGreaterThan(10);
        assertThat(report.at("/references/checked").asLong()).as("non-NULL foreign-key values").isGreaterThan(20);
    }

    @Test
    void should_report_the_references_a_damaged_tenant_dump_cannot_resolve() throws Exception {
        Map<String, String> settings = tenantSettings();
        Dump dump = tenantDump(settings, "acme");
        // User 1, whom user 2 names as manager, taken out of the document (and its counts): a hand-edited dump.
        com.fasterxml.jackson.databind.node.ObjectNode document = (com.fasterxml.jackson.databind.node.ObjectNode)
                dump.document();
        com.fasterxml.jackson.databind.node.ArrayNode users = (com.fasterxml.jackson.databind.node.ArrayNode)
                document.at("/data/users");
        users.remove(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.at("/metadata/tables_summary/users")).put("rows", 1);
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.get("metadata")).put("total_rows",
                document.at("/metadata/total_rows").asLong() - 1);
        byte[] edited = StoredDump.EXACT_JSON.writeValueAsBytes(document);
        s3.client().putObject(b -> b.bucket(bucket).key(dump.key()), software.amazon.awssdk.core.sync.RequestBody
                .fromBytes(edited));
        s3.client().putObject(b -> b.bucket(bucket).key(dump.key() + ".sha256"), software.amazon.awssdk.core.sync
                .RequestBody.fromString(java.util.HexFormat.of().formatHex(java.security.MessageDigest
                        .getInstance("SHA-256").digest(edited)) + "  x.json\n"));

        JsonNode report;
        try (DumpApplication app = DumpApplication.start(settings)) {
            report = StoredDump.EXACT_JSON.readTree(app.verify(dump.key()));
        }

        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.at("/references/unresolved").asLong()).isEqualTo(1);
        assertThat(report.at("/references/by_key/users_manager_id_fkey").asLong()).isEqualTo(1);
        assertThat(report.get("problem").asText()).isEqualTo("1 foreign-key value of the document resolves to no"
                + " row in it: row 1 of users (manager_id 1) references no row of users through users_manager_id_fkey");
    }

    @Test
    void should_keep_the_newest_dumps_per_tenant_apart_from_full_dumps_and_other_tenants() throws Exception {
        Map<String, String> settings = tenantSettings();
        settings.put("dump.retention.keep-last", "1");
        try (DumpApplication app = DumpApplication.start(settings)) {
            app.dump();
            app.dump("globex");
            app.dump("acme");
            String newestAcme = StoredDump.EXACT_JSON.readTree(app.dump("acme")).get("key").asText();

            assertThat(StoredDump.keys(s3.client(), bucket).stream().filter(key -> !key.endsWith(".sha256")))
                    .hasSize(3).contains(newestAcme).anyMatch(key -> key.startsWith("dumps/full-dump-"))
                    .anyMatch(key -> key.startsWith("dumps/tenants/globex/"));
            JsonNode latest = StoredDump.EXACT_JSON.readTree(app.verify("latest"));
            assertThat(latest.get("key").asText()).as("latest is the newest full dump").startsWith("dumps/full-dump-");
        }
    }

    @Test
    void should_keep_any_tenant_id_to_one_safe_folder_of_its_own() {
        db.execute("INSERT INTO tenants VALUES ('a/b c%.', 'Odd id')",
                "INSERT INTO clients VALUES (40, 'a/b c%.', 'Odd client', 'ODD')");

        Dump dump = tenantDump(tenantSettings(), "a/b c%.");

        assertThat(dump.key()).startsWith("dumps/tenants/a%2Fb%20c%25%2E/tenant-dump-");
        assertThat(ids(dump, "clients")).containsExactly("40");
        assertThat(dump.metadata().at("/scope/tenant").asText()).isEqualTo("a/b c%.");
    }

    @Test
    void should_dump_the_tenant_dump_tenant_names_when_run_once() throws Exception {
        Map<String, String> env = dev.databasedump.support.ChildApplication.environmentOf(tenantSettings());
        env.put("DUMP_RUN_ONCE", "true");
        env.put("DUMP_TENANT", "acme");

        dev.databasedump.support.ChildApplication.Result result = dev.databasedump.support.ChildApplication.run(env,
                null, tmp, 120);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode summary = StoredDump.EXACT_JSON.readTree(result.lastStdoutLine());
        assertThat(summary.get("key").asText()).startsWith("dumps/tenants/acme/");
        assertThat(summary.at("/metadata/scope/tenant").asText()).isEqualTo("acme");
        assertThat(result.stderr()).doesNotContain("Ignoring settings");
    }

    @Test
    void should_dump_one_tenant_from_a_hosts_route_made_for_that_tenant() throws Exception {
        org.apache.camel.CamelContext context = new org.apache.camel.impl.DefaultCamelContext();
        Map<String, String> settings = new java.util.HashMap<>(tenantSettings());
        settings.remove("dump.tmp-dir");
        dev.databasedump.DatabaseDump.builder().settings(settings).routeId("acme-export").entry("direct:acme-export")
                .tenant("acme").addTo(context);
        context.start();
        try {
            JsonNode summary = StoredDump.EXACT_JSON.readTree(context.createProducerTemplate()
                    .requestBody("direct:acme-export", null, String.class));
            JsonNode other = StoredDump.EXACT_JSON.readTree(context.createProducerTemplate()
                    .requestBodyAndHeader("direct:acme-export", null, "DatabaseDumpTenant", "globex", String.class));

            assertThat(summary.get("key").asText()).startsWith("dumps/tenants/acme/");
            assertThat(other.get("key").asText()).as("the message's tenant first").startsWith("dumps/tenants/globex/");
        } finally {
            context.stop();
        }
    }

    private Throwable failedDump(Map<String, String> settings, String tenant) {
        try (DumpApplication app = DumpApplication.start(settings)) {
            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> app.dump(tenant));
            assertThat(failure).as("the dump should have failed").isNotNull();
            return failure.getCause() != null ? failure.getCause() : failure;
        }
    }

    private static List<String> ids(Dump dump, String table) {
        JsonNode rows = dump.table(table);
        assertThat(rows).as("table " + table + " in the document").isNotNull();
        List<String> ids = new ArrayList<>();
        for (JsonNode row : rows) {
            JsonNode id = row.has("id") ? row.get("id") : row.has("code") ? row.get("code") : row.get("number");
            ids.add(id.asText());
        }
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    static String script(String resource) throws java.io.IOException {
        try (var in = TenantDumpTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
