package dev.databasedump.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.jobs.ClusterLock;
import dev.databasedump.support.AdminApi;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the API gives a page to draw (the console, or a host's own): the caller and what they may do, the jobs
 * running or just done (here or, for full dumps, on another replica), the schedule, and in each listed dump the facts
 * stored beside it, read without downloading it.
 */
class ApiViewsTest extends DumpIntegrationTest {

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

    private JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> answer = api.call("GET", path, token);
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).as("no cache keeps an answer").contains("no-store");
        return StoredDump.EXACT_JSON.readTree(answer.body());
    }

    @Test
    void should_say_who_the_caller_is_and_what_they_may_do() throws Exception {
        start(Map.of("dump.restore.db.url", db.url(), "dump.restore.http-enabled", "true", "dump.timer.enabled",
                "true", "dump.timer.period", "1h"));

        JsonNode admin = get("/api/database-dump/me", Tokens.admin());
        JsonNode tenantAdmin = get("/api/database-dump/me", Tokens.tenantAdmin("acme-admin", "acme"));

        assertThat(admin.get("role").asText()).isEqualTo("admin");
        assertThat(admin.get("tenant_dumps").asBoolean()).isTrue();
        assertThat(admin.get("restore").asBoolean()).isTrue();
        assertThat(admin.get("restore_database").asText()).isEqualTo(db.name());
        assertThat(admin.get("schedule").asBoolean()).isTrue();
        assertThat(tenantAdmin.get("role").asText()).isEqualTo("tenant_admin");
        assertThat(tenantAdmin.get("tenant").asText()).isEqualTo("acme");
        assertThat(tenantAdmin.get("restore").asBoolean()).isFalse();
        assertThat(tenantAdmin.has("restore_database")).isFalse();
        assertThat(api.call("GET", "/api/database-dump/schedule", Tokens.tenantAdmin("acme-admin", "acme"))
                .statusCode()).isEqualTo(403);
    }

    @Test
    void should_list_each_dump_with_its_facts_and_last_verification_without_downloading_it() throws Exception {
        start(Map.of("dump.compression", "gzip"));
        JsonNode summary = StoredDump.EXACT_JSON.readTree(api.call("POST", "/api/database-dump", Tokens.admin()).body());
        String key = summary.get("key").asText();

        JsonNode listed = get("/api/database-dump", Tokens.admin()).get("dumps").get(0);
        assertThat(listed.get("key").asText()).isEqualTo(key);
        assertThat(listed.get("exported_at").asText()).isEqualTo(summary.at("/metadata/exported_at").asText());
        assertThat(listed.get("rows").asLong()).isEqualTo(summary.at("/metadata/total_rows").asLong());
        assertThat(listed.get("tables").asInt()).isEqualTo(summary.at("/metadata/total_tables").asInt());
        assertThat(listed.get("duration_ms").asLong()).isEqualTo(summary.at("/metadata/duration_ms").asLong());
        assertThat(listed.get("compression").asText()).isEqualTo("gzip");
        assertThat(listed.get("encrypted").asBoolean()).isFalse();
        assertThat(listed.has("verified")).as("not verified yet").isFalse();

        api.call("POST", "/api/database-dump/verify?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8),
                Tokens.admin());
        JsonNode verified = get("/api/database-dump", Tokens.admin()).get("dumps").get(0).get("verified");
        assertThat(verified.get("ok").asBoolean()).isTrue();
        assertThat(verified.get("at").asText()).isNotBlank();
        assertThat(StoredDump.keys(s3.client(), bucket)).containsExactlyInAnyOrder(key, key + ".sha256",
                key + ".verify.json");
    }

    @Test
    void should_list_the_jobs_newest_first_a_tenant_admins_own_only_and_a_dump_running_on_another_replica()
            throws Exception {
        start(Map.of());
        api.call("POST", "/api/database-dump?tenant=globex", Tokens.admin());
        api.call("POST", "/api/database-dump", Tokens.tenantAdmin("acme-admin", "acme"));

        JsonNode all = get("/api/database-dump/jobs", Tokens.admin());
        JsonNode own = get("/api/database-dump/jobs", Tokens.tenantAdmin("acme-admin", "acme"));

        assertThat(all.get("jobs")).extracting(job -> job.get("tenant").asText()).containsExactly("acme", "globex");
        assertThat(all.get("jobs").get(0).at("/progress/bytes_done").asLong()).isPositive();
        assertThat(all.get("running_elsewhere").asBoolean()).isFalse();
        assertThat(own.get("jobs")).extracting(job -> job.get("tenant").asText()).containsExactly("acme");
        assertThat(own.has("running_elsewhere")).isFalse();
        // Another replica's dump: it holds the database's dump lock.
        try (Connection replica = db.connect(); Statement statement = replica.createStatement()) {
            replica.setAutoCommit(false);
            statement.execute("SELECT pg_advisory_xact_lock(" + ClusterLock.DUMP + ", 0)");
            assertThat(get("/api/database-dump/jobs", Tokens.admin()).get("running_elsewhere").asBoolean()).isTrue();
            replica.rollback();
        }
    }

    @Test
    void should_tell_the_schedule_its_next_run_the_last_dump_stored_and_retention() throws Exception {
        start(Map.of("dump.timer.enabled", "true", "dump.timer.period", "6h", "dump.retention.keep-last", "7",
                "dump.retention.max-age", "30d"));
        JsonNode summary = StoredDump.EXACT_JSON.readTree(api.call("POST", "/api/database-dump", Tokens.admin()).body());

        JsonNode schedule = get("/api/database-dump/schedule", Tokens.admin());

        assertThat(schedule.get("enabled").asBoolean()).isTrue();
        assertThat(schedule.get("period").asText()).isEqualTo("6h");
        assertThat(java.time.Instant.parse(schedule.get("next_run").asText())).isAfter(java.time.Instant.now())
                .isBefore(java.time.Instant.now().plus(Duration.ofHours(6)));
        assertThat(schedule.get("last_stored").asText()).isEqualTo(summary.at("/metadata/exported_at").asText());
        assertThat(schedule.get("keep_last").asInt()).isEqualTo(7);
        assertThat(schedule.get("max_age").asText()).isEqualTo("30d");
    }
}
