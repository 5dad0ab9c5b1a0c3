package dev.databasedump.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.AdminApi;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant dumps over HTTP: platform admins for any tenant, tenant admins for their own tenant only, and what neither
 * may learn or do. Refusals come before anything is looked up, so they never tell whether an object exists.
 */
class TenantApiTest extends DumpIntegrationTest {

    private AdminApi api;

    @BeforeEach
    void schema() {
        db.executeScript("/tenants/legal-tenants.sql");
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> settings = settings();
        settings.put("dump.tenant.column", "tenant_id");
        settings.put("dump.tenant.table", "tenants");
        settings.putAll(extra);
        api = AdminApi.start(settings);
    }

    private HttpResponse<String> call(String method, String path, String token, String... headers) throws Exception {
        return api.call(method, path, token, headers);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return StoredDump.EXACT_JSON.readTree(response.body());
    }

    private static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void should_let_a_tenant_admin_dump_list_and_download_their_own_tenants_data_only() throws Exception {
        start(Map.of());
        String acmeAdmin = Tokens.tenantAdmin("acme-admin", "acme");
        String globexKey = json(call("POST", "/api/database-dump?tenant=globex", Tokens.admin())).get("key").asText();
        String fullKey = json(call("POST", "/api/database-dump", Tokens.admin())).get("key").asText();

        HttpResponse<String> dumped;
        String audit;
        try (CapturedLogs logs = new CapturedLogs()) {
            dumped = call("POST", "/api/database-dump", acmeAdmin);
            audit = logs.text();
        }

        assertThat(dumped.statusCode()).as(dumped.body()).isEqualTo(200);
        String acmeKey = json(dumped).get("key").asText();
        assertThat(acmeKey).startsWith("dumps/tenants/acme/tenant-dump-");
        assertThat(json(dumped).at("/metadata/scope/tenant").asText()).isEqualTo("acme");
        assertThat(audit).contains("dump triggered: subject=acme-admin email=acme-admin@example.com tenant=acme")
                .contains("result=succeeded key=" + acmeKey);
        assertThat(json(call("GET", "/api/database-dump", acmeAdmin)).get("dumps"))
                .extracting(dump -> dump.get("key").asText()).containsExactly(acmeKey);
        assertThat(call("GET", "/api/database-dump/download?key=" + encoded(acmeKey), acmeAdmin).statusCode())
                .isEqualTo(200);
        assertThat(json(call("GET", "/api/database-dump", Tokens.admin())).get("dumps"))
                .as("the full dumps' listing holds full dumps only").extracting(dump -> dump.get("key").asText())
                .containsExactly(fullKey);
        assertThat(json(call("GET", "/api/database-dump?tenant=globex", Tokens.admin())).get("dumps"))
                .extracting(dump -> dump.get("key").asText()).containsExactly(globexKey);

        String missing = "dumps/tenants/globex/tenant-dump-20200101T000000.000Z.json";
        for (String[] refused : List.of(
                new String[] {"POST", "/api/database-dump?tenant=globex"},
                new String[] {"GET", "/api/database-dump?tenant=globex"},
                new String[] {"GET", "/api/database-dump/download?key=" + encoded(globexKey)},
                new String[] {"GET", "/api/database-dump/download?key=" + encoded(missing)},
                new String[] {"GET", "/api/database-dump/download?key=" + encoded(fullKey)},
                new String[] {"POST", "/api/database-dump/verify?key=" + encoded(acmeKey)},
                new String[] {"POST", "/api/database-dump/restore?key=" + encoded(acmeKey)})) {
            HttpResponse<String> answer = call(refused[0], refused[1], acmeAdmin);
            assertThat(answer.statusCode()).as(refused[0] + " " + refused[1]).isEqualTo(403);
            assertThat(json(answer).get("message").asText()).as("says nothing of the object")
                    .doesNotContain("exist").doesNotContain("globex");
        }
    }

    @Test
    void should_let_a_tenant_admin_follow_only_the_jobs_they_started() throws Exception {
        start(Map.of());
        HttpResponse<String> started = call("POST", "/api/database-dump", Tokens.tenantAdmin("acme-admin", "acme"),
                "Prefer", "respond-async");
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        String job = started.headers().firstValue("Location").orElseThrow();
        String full = call("POST", "/api/database-dump", Tokens.admin(), "Prefer", "respond-async").headers()
                .firstValue("Location").orElseThrow();

        await().atMost(Duration.ofSeconds(30)).until(() -> json(call("GET", job,
                Tokens.tenantAdmin("acme-admin", "acme"))).get("state").asText().equals("succeeded"));

        assertThat(json(call("GET", job, Tokens.tenantAdmin("acme-admin", "acme"))).get("tenant").asText())
                .isEqualTo("acme");
        assertThat(call("GET", job, Tokens.tenantAdmin("another-acme-admin", "acme")).statusCode()).isEqualTo(404);
        assertThat(call("GET", job, Tokens.tenantAdmin("globex-admin", "globex")).statusCode()).isEqualTo(404);
        assertThat(call("GET", full, Tokens.tenantAdmin("acme-admin", "acme")).statusCode()).isEqualTo(404);
        assertThat(call("GET", job, Tokens.admin()).statusCode()).isEqualTo(200);
    }

    @Test
    void should_refuse_a_tenant_role_that_users_can_set_themselves_or_that_tenant_dumps_are_off_for() throws Exception {
        start(Map.of());
        assertThat(call("POST", "/api/database-dump", Tokens.selfMadeTenantAdmin("acme")).statusCode())
                .isEqualTo(403);
        api.close();

        start(Map.of("dump.tenant.column", "", "dump.tenant.table", ""));
        assertThat(call("POST", "/api/database-dump", Tokens.tenantAdmin("acme-admin", "acme")).statusCode())
                .isEqualTo(403);
        assertThat(call("POST", "/api/database-dump?tenant=acme", Tokens.admin()).statusCode()).isEqualTo(400);
    }

    @Test
    void should_run_a_tenant_dump_beside_a_full_dump_but_one_per_tenant_and_no_more_than_allowed_at_once()
            throws Exception {
        start(Map.of("dump.tenant.max-concurrent", "1"));
        try (Connection appSettings = db.holdExclusively("app_settings");
             Connection tasks = db.holdExclusively("tasks")) {
            // A full dump waits for app_settings, which no tenant's dump reads.
            CompletableFuture<HttpResponse<String>> full = CompletableFuture.supplyAsync(() -> send("POST",
                    "/api/database-dump", admin()));
            await().atMost(Duration.ofSeconds(20)).until(() -> db.dumpSessionsWaitingForALock() == 1);
            // Acme's dump waits for tasks, which it reads.
            CompletableFuture<HttpResponse<String>> acme = CompletableFuture.supplyAsync(() -> send("POST",
                    "/api/database-dump?tenant=acme", admin()));
            await().atMost(Duration.ofSeconds(20)).until(() -> db.dumpSessionsWaitingForALock() == 2);

            HttpResponse<String> acmeAgain = call("POST", "/api/database-dump?tenant=acme", Tokens.admin());
            HttpResponse<String> globex = call("POST", "/api/database-dump?tenant=globex", Tokens.admin());

            assertThat(acmeAgain.statusCode()).as(acmeAgain.body()).isEqualTo(409);
            assertThat(globex.statusCode()).as(globex.body()).isEqualTo(429);
            assertThat(globex.headers().firstValue("Retry-After")).hasValue("30");
            tasks.rollback();
            assertThat(acme.get(30, TimeUnit.SECONDS).statusCode()).as("the tenant dump did not wait for the full one")
                    .isEqualTo(200);
            assertThat(full.isDone()).as("the full dump still waits").isFalse();
            appSettings.rollback();
            assertThat(full.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(call("POST", "/api/database-dump?tenant=globex", Tokens.admin()).statusCode()).isEqualTo(200);
    }

    private static String admin() {
        try {
            return Tokens.admin();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, String token) {
        try {
            return call(method, path, token);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
