package dev.databasedump.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.DatabaseDump;
import dev.databasedump.support.AdminApi;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.ChildApplication;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tenant ids of every type a tenant key has (bigint, integer, uuid, text), however they arrive: a run-once setting,
 * ?tenant=, the DatabaseDumpTenant header, a route made for one tenant, a tenant admin's token. An id is filed as the
 * database writes it; an id the column cannot hold, or a tenant the tenant table lacks, is refused and stores nothing.
 */
class TenantIdsTest extends DumpIntegrationTest {

    private void schema(String type, String one, String two) {
        db.execute("CREATE TABLE tenants (id " + type + " PRIMARY KEY, name text)",
                "CREATE TABLE notes (id serial PRIMARY KEY, tenant_id " + type + " NOT NULL REFERENCES tenants,"
                        + " body text)",
                "INSERT INTO tenants VALUES ('" + one + "', 'one'), ('" + two + "', 'two')",
                "INSERT INTO notes (tenant_id, body) VALUES ('" + one + "', 'of one'), ('" + two + "', 'of two')");
    }

    private Map<String, String> tenantSettings(boolean withTable) {
        Map<String, String> settings = settings();
        settings.put("dump.tenant.column", "tenant_id");
        if (withTable) {
            settings.put("dump.tenant.table", "tenants");
        }
        return settings;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "bigint, 1, 2, 01, 1",
        "integer, 7, 8, +7, 7",
        "uuid, 6f9619ff-8b86-d011-b42d-00c04fc964ff, a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,"
                + " 6F9619FF-8B86-D011-B42D-00C04FC964FF, 6f9619ff-8b86-d011-b42d-00c04fc964ff",
        "text, acme/eu 1, globex, acme/eu 1, acme/eu 1"})
    void should_dump_a_tenant_of_any_key_type_by_header_and_by_a_route_made_for_it_filed_as_the_database_writes_it(
            String type, String one, String two, String asked, String written) throws Exception {
        schema(type, one, two);

        Dump byHeader = tenantDump(tenantSettings(true), asked);
        Map<String, String> settings = new HashMap<>(tenantSettings(true));
        settings.remove("dump.tmp-dir");
        CamelContext context = new DefaultCamelContext();
        DatabaseDump.builder().settings(settings).routeId("one-tenant").entry("direct:one-tenant").tenant(asked)
                .addTo(context);
        context.start();
        Dump byRoute;
        try {
            byRoute = Dump.of(context.createProducerTemplate().requestBody("direct:one-tenant", null, String.class), s3,
                    bucket);
        } finally {
            context.stop();
        }

        Dump byQuery;
        Dump byClaim;
        try (AdminApi api = AdminApi.start(tenantSettings(true))) {
            byQuery = Dump.of(api.call("POST", "/api/database-dump?tenant=" + java.net.URLEncoder.encode(asked,
                    java.nio.charset.StandardCharsets.UTF_8), Tokens.admin()).body(), s3, bucket);
            byClaim = Dump.of(api.call("POST", "/api/database-dump", Tokens.tenantAdminClaiming("admin-of-one", asked))
                    .body(), s3, bucket);
        }

        for (Dump dump : List.of(byHeader, byRoute, byQuery, byClaim)) {
            assertThat(dump.table("notes")).singleElement().satisfies(note ->
                    assertThat(note.get("body").asText()).isEqualTo("of one"));
            assertThat(dump.metadata().at("/scope/tenant").asText()).isEqualTo(written);
            assertThat(dump.key()).startsWith("dumps/tenants/" + encoded(written) + "/");
        }
    }

    @Test
    void should_file_a_run_once_tenant_as_the_database_writes_it() throws Exception {
        schema("uuid", "6f9619ff-8b86-d011-b42d-00c04fc964ff", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        Map<String, String> env = ChildApplication.environmentOf(tenantSettings(true));
        env.put("DUMP_RUN_ONCE", "true");
        env.put("DUMP_TENANT", "6F9619FF-8B86-D011-B42D-00C04FC964FF");

        ChildApplication.Result result = ChildApplication.run(env, null, tmp, 120);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(StoredDump.EXACT_JSON.readTree(result.lastStdoutLine()).get("key").asText())
                .startsWith("dumps/tenants/6f9619ff-8b86-d011-b42d-00c04fc964ff/");
    }

    @Test
    void should_take_a_tenant_admins_numeric_claim_as_its_decimal_text() throws Exception {
        schema("bigint", "1", "2");
        try (AdminApi api = AdminApi.start(tenantSettings(true))) {
            HttpResponse<String> dumped = api.call("POST", "/api/database-dump",
                    Tokens.tenantAdminClaiming("one-admin", 1L));
            HttpResponse<String> refused = api.call("POST", "/api/database-dump?tenant=2",
                    Tokens.tenantAdminClaiming("one-admin", 1L));

            assertThat(dumped.statusCode()).as(dumped.body()).isEqualTo(200);
            assertThat(json(dumped).get("key").asText()).startsWith("dumps/tenants/1/");
            assertThat(json(dumped).at("/metadata/scope/tenant").asText()).isEqualTo("1");
            assertThat(refused.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void should_refuse_a_tenant_admin_whose_claim_names_no_tenant_saying_which_claim_never_the_token()
            throws Exception {
        schema("bigint", "1", "2");
        try (AdminApi api = AdminApi.start(tenantSettings(true))) {
            for (Object claim : new Object[] {null, "", " ", Map.of("id", 1), List.of(1), true}) {
                String token = Tokens.tenantAdminClaiming("confused-admin", claim);
                HttpResponse<String> answer = api.call("POST", "/api/database-dump", token);

                assertThat(answer.statusCode()).as(String.valueOf(claim)).isEqualTo(403);
                assertThat(json(answer).get("message").asText()).as(String.valueOf(claim))
                        .isEqualTo("the token's app_metadata.tenant_id names no tenant");
                assertThat(answer.body()).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
            }
            assertThat(StoredDump.keys(s3.client(), bucket)).isEmpty();
        }
    }

    @Test
    void should_answer_400_for_an_id_the_column_cannot_hold_and_404_for_a_tenant_the_table_lacks_storing_nothing()
            throws Exception {
        schema("bigint", "1", "2");
        try (AdminApi api = AdminApi.start(tenantSettings(true))) {
            HttpResponse<String> invalid = api.call("POST", "/api/database-dump?tenant=abc", Tokens.admin());
            HttpResponse<String> invalidAsync = api.call("POST", "/api/database-dump?tenant=abc", Tokens.admin(),
                    "Prefer", "respond-async");
            HttpResponse<String> unknown = api.call("POST", "/api/database-dump?tenant=999999", Tokens.admin());

            assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(400);
            assertThat(json(invalid).get("error").asText()).isEqualTo("invalid_tenant");
            assertThat(json(invalid).get("message").asText()).isEqualTo("tenant id abc is not a valid bigint (the type"
                    + " of public.tenants.id), so no tenant has it");
            assertThat(invalidAsync.statusCode()).as("refused before a job starts").isEqualTo(400);
            assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
            assertThat(json(unknown).get("message").asText()).isEqualTo("there is no tenant 999999: public.tenants"
                    + " (dump.tenant.table) has no row with id 999999");
            assertThat(StoredDump.keys(s3.client(), bucket)).isEmpty();
        }
    }

    @Test
    void should_end_a_run_once_of_an_id_no_tenant_has_with_exit_code_2_storing_nothing() throws Exception {
        schema("integer", "7", "8");
        for (String[] asked : List.of(new String[] {"abc", "tenant id abc is not a valid integer"},
                new String[] {"3000000000", "tenant id 3000000000 is not a valid integer"},
                new String[] {"999999", "there is no tenant 999999"})) {
            Map<String, String> env = ChildApplication.environmentOf(tenantSettings(true));
            env.put("DUMP_RUN_ONCE", "true");
            env.put("DUMP_TENANT", asked[0]);

            ChildApplication.Result result = ChildApplication.run(env, null, tmp, 120);

            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(2);
            assertThat(result.stderr()).contains("database-dump: " + asked[1]).doesNotContain("ERROR:", "\tat ");
        }
        assertThat(StoredDump.keys(s3.client(), bucket)).isEmpty();
    }

    @Test
    void should_store_a_dump_of_a_tenant_with_no_rows_where_no_tenant_table_says_which_exist_and_warn()
            throws Exception {
        schema("text", "acme", "globex");
        String summary;
        String log;
        try (CapturedLogs logs = new CapturedLogs(); DumpApplication app = DumpApplication.start(tenantSettings(false))) {
            summary = app.dump("acme-typo");
            log = logs.text();
        }

        assertThat(StoredDump.EXACT_JSON.readTree(summary).at("/metadata/total_rows").asLong()).isZero();
        assertThat(log).contains("Tenant acme-typo has no row in any table with column tenant_id: its dump holds no"
                + " rows (is the id right?)");
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return StoredDump.EXACT_JSON.readTree(response.body());
    }

    private static String encoded(String id) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : id.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            encoded.append(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' ? String.valueOf(c)
                    : String.format("%%%02X", b & 0xff));
        }
        return encoded.toString();
    }
}
