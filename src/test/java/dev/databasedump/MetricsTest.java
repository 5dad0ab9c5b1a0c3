package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.http.Tokens;
import dev.databasedump.support.AdminApi;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.Scrape;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** GET /metrics as Prometheus scrapes it, from the application running with its HTTP API. */
class MetricsTest extends DumpIntegrationTest {

    private static final String DB_PASSWORD = "db-password-never-in-metrics";

    private final HttpClient http = HttpClient.newHttpClient();
    private AdminApi api;

    @BeforeEach
    void tables() {
        db.execute("CREATE TABLE matters (id int PRIMARY KEY, title text)",
                "INSERT INTO matters SELECT i, 'matter ' || i FROM generate_series(1, 30) i",
                "CREATE TABLE notes (id int PRIMARY KEY, body text)", "INSERT INTO notes VALUES (1, 'privileged')");
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    private Map<String, String> withSecrets(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("dump.db.password", DB_PASSWORD);
        settings.putAll(extra);
        return settings;
    }

    private Scrape scrape() throws Exception {
        return scrape(api.base());
    }

    private Scrape scrape(String base) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
        return new Scrape(response.body());
    }

    private double dumps(Scrape scrape, String outcome) {
        return scrape.get("database_dump_runs_total", "database", db.name(), "trigger", "http", "outcome", outcome);
    }

    @Test
    void should_report_each_dumps_outcome_and_figures_without_a_token() throws Exception {
        api = AdminApi.start(withSecrets(Map.of("dump.lock-timeout", "1s")));
        // An empty bucket, once read: no dump was ever stored, which the dead man's switch must see as old.
        await().atMost(Duration.ofSeconds(20)).until(() -> scrape()
                .value("database_dump_last_success_timestamp_seconds", "database", db.name()).isPresent());
        Scrape before = scrape();
        assertThat(before.get("database_dump_last_success_timestamp_seconds", "database", db.name())).isZero();
        assertThat(dumps(before, "success")).isZero();
        assertThat(dumps(before, "failure")).isZero();

        long started = Instant.now().getEpochSecond();
        HttpResponse<String> stored = api.call("POST", "/api/database-dump", Tokens.admin());
        long finished = Instant.now().getEpochSecond();
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        JsonNode summary = StoredDump.EXACT_JSON.readTree(stored.body());
        HeadObjectResponse object = s3.client().headObject(b -> b.bucket(bucket).key(summary.get("key").asText()));

        Scrape afterSuccess = scrape();
        assertThat(afterSuccess.get("database_dump_last_success_timestamp_seconds", "database", db.name()))
                .isBetween((double) started, (double) finished + 1);
        assertThat(afterSuccess.get("database_dump_last_success_duration_seconds", "database", db.name()))
                .isPositive().isLessThanOrEqualTo(finished - started + 1.0);
        assertThat(afterSuccess.get("database_dump_last_success_rows", "database", db.name())).isEqualTo(31);
        assertThat(afterSuccess.get("database_dump_last_success_bytes", "database", db.name()))
                .isEqualTo(object.contentLength().doubleValue());
        assertThat(dumps(afterSuccess, "success")).isEqualTo(1);
        assertThat(dumps(afterSuccess, "failure")).isZero();
        assertThat(afterSuccess.get("database_dump_running", "database", db.name())).isZero();
        assertThat(afterSuccess.get("database_dump_rows_exported", "database", db.name())).isZero();
        double lastSuccess = afterSuccess.get("database_dump_last_success_timestamp_seconds");

        // A table held by another session: the dump gives up after dump.lock-timeout and fails.
        try (Connection holder = db.holdExclusively("notes")) {
            HttpResponse<String> failed = api.call("POST", "/api/database-dump", Tokens.admin());
            assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
            holder.rollback();
        }

        Scrape afterFailure = scrape();
        assertThat(dumps(afterFailure, "failure")).isEqualTo(1);
        assertThat(dumps(afterFailure, "success")).isEqualTo(1);
        assertThat(afterFailure.get("database_dump_last_success_timestamp_seconds")).isEqualTo(lastSuccess);
        assertThat(afterFailure.get("database_dump_last_success_rows")).isEqualTo(31);
        assertThat(afterFailure.get("database_dump_running")).isZero();
        assertThat(afterFailure.text()).doesNotContain(DB_PASSWORD).doesNotContain(S3ProxyServer.SECRET_KEY)
                .doesNotContain(AdminApi.JWT_SECRET);
    }

    @Test
    void should_show_a_dump_running_and_count_the_one_refused_meanwhile_as_busy() throws Exception {
        api = AdminApi.start(withSecrets(Map.of()));
        try (Connection holder = db.holdExclusively("notes")) {
            HttpResponse<String> accepted = api.call("POST", "/api/database-dump", Tokens.admin(),
                    "Prefer", "respond-async");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> db.dumpSessionsWaitingForALock() == 1);
            assertThat(scrape().get("database_dump_running", "database", db.name())).isEqualTo(1);

            HttpResponse<String> refused = api.call("POST", "/api/database-dump", Tokens.admin());
            assertThat(refused.statusCode()).isEqualTo(409);
            holder.rollback();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> dumps(scrape(), "success") == 1);
        Scrape after = scrape();
        assertThat(dumps(after, "busy")).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().get("database_dump_running") == 0);
    }

    @Test
    void should_read_the_last_success_from_the_bucket_after_a_restart() throws Exception {
        String key;
        try (DumpApplication before = DumpApplication.start(settings())) {
            key = StoredDump.EXACT_JSON.readTree(before.dump()).get("key").asText();
        }
        HeadObjectResponse stored = s3.client().headObject(b -> b.bucket(bucket).key(key));

        api = AdminApi.start(withSecrets(Map.of()));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape()
                .get("database_dump_last_success_timestamp_seconds", "database", db.name()))
                .isEqualTo((double) stored.lastModified().getEpochSecond()));
        assertThat(scrape().get("database_dump_last_success_bytes", "database", db.name()))
                .isEqualTo(stored.contentLength().doubleValue());
        assertThat(dumps(scrape(), "success")).as("no dump ran in this process").isZero();
    }

    @Test
    void should_never_answer_zero_for_the_last_success_while_the_bucket_is_read_after_a_restart() throws Exception {
        String key;
        try (DumpApplication before = DumpApplication.start(settings())) {
            key = StoredDump.EXACT_JSON.readTree(before.dump()).get("key").asText();
        }
        double storedAt = s3.client().headObject(b -> b.bucket(bucket).key(key)).lastModified().getEpochSecond();
        // A slow store: the listing the restarted service reads the last success from takes two seconds.
        CuttingProxy.Rule listings = (all, connection, chunk) -> chunk.startsWith("GET /" + bucket)
                && chunk.contains("list-type=2");
        try (CuttingProxy slowStore = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                .delaying(listings, 2000)) {
            api = AdminApi.start(withSecrets(Map.of("dump.s3.endpoint", "http://127.0.0.1:" + slowStore.port())));

            List<java.util.Optional<Double>> seen = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
                java.util.Optional<Double> value = scrape().value("database_dump_last_success_timestamp_seconds",
                        "database", db.name());
                seen.add(value);
                return value.isPresent();
            });

            assertThat(seen.get(0)).as("the first scrape, while the bucket is still being read").isEmpty();
            assertThat(seen).as("every scrape from the first").allMatch(value -> value.isEmpty()
                    || value.get() == storedAt);
        }
    }

    @Test
    void should_count_restores_by_outcome() throws Exception {
        try (TestDatabase target = TestDatabase.create()) {
            target.execute("CREATE TABLE matters (id int PRIMARY KEY, title text)",
                    "CREATE TABLE notes (id int PRIMARY KEY, body text)");
            api = AdminApi.start(withSecrets(Map.of("dump.restore.http-enabled", "true",
                    "dump.restore.db.url", target.url(), "dump.restore.db.user", target.adminUser())));
            String key = StoredDump.EXACT_JSON.readTree(api.call("POST", "/api/database-dump", Tokens.admin()).body())
                    .get("key").asText();

            restore(key);
            await().atMost(Duration.ofSeconds(30)).until(() -> restores("success") == 1);
            // The tables are no longer empty: the second restore is refused, and counted as failed.
            restore(key);
            await().atMost(Duration.ofSeconds(30)).until(() -> restores("failure") == 1);

            assertThat(restores("success")).isEqualTo(1);
            assertThat(target.count("SELECT count(*) FROM matters")).isEqualTo(30);
        }
    }

    private void restore(String key) throws Exception {
        HttpResponse<String> accepted = api.call("POST", "/api/database-dump/restore?key=" + key, Tokens.admin());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    }

    private double restores(String outcome) throws Exception {
        return scrape().get("database_restore_runs_total", "database", db.name(), "outcome", outcome);
    }

    @Test
    void should_serve_camels_and_the_jvms_metrics_beside_the_dumps() throws Exception {
        api = AdminApi.start(withSecrets(Map.of()));
        assertThat(api.call("POST", "/api/database-dump", Tokens.admin()).statusCode()).isEqualTo(200);

        Scrape scrape = scrape();

        assertThat(scrape.get("jvm_memory_used_bytes", "area", "heap")).isPositive();
        // Counted from the first collection on, so only its presence is certain.
        assertThat(scrape.value("jvm_gc_memory_allocated_bytes_total")).isPresent();
        assertThat(scrape.get("jvm_threads_live_threads")).isPositive();
        assertThat(scrape.get("process_cpu_time_ns_total")).isPositive();
        assertThat(scrape.get("camel_exchanges_succeeded_total", "routeId", "database-dump")).isEqualTo(1);
    }

    @Test
    void should_serve_metrics_on_a_port_of_their_own_when_asked() throws Exception {
        int metricsPort = S3ProxyServer.freePort();
        api = AdminApi.start(withSecrets(Map.of("dump.metrics.port", String.valueOf(metricsPort))));

        Scrape scrape = scrape("http://127.0.0.1:" + metricsPort);

        assertThat(scrape.get("database_dump_running", "database", db.name())).isZero();
        assertThat(api.call("GET", "/metrics", null).statusCode()).as("the API's port").isEqualTo(404);
    }

    @Test
    void should_serve_metrics_for_a_service_that_only_runs_the_schedule() throws Exception {
        int metricsPort = S3ProxyServer.freePort();
        Map<String, String> settings = withSecrets(Map.of("dump.timer.enabled", "true", "dump.timer.period", "24h",
                "dump.metrics.enabled", "true", "dump.metrics.port", String.valueOf(metricsPort)));
        try (DumpApplication scheduled = DumpApplication.start(settings)) {
            Scrape scrape = scrape("http://127.0.0.1:" + metricsPort);

            assertThat(scrape.get("database_dump_runs_total", "database", db.name(), "trigger", "schedule",
                    "outcome", "failure")).isZero();
            assertThat(scrape.value("database_dump_runs_total", "trigger", "http")).as("no HTTP trigger").isEmpty();
            assertThat(scrape.get("database_dump_running", "database", db.name())).isZero();
        }
    }

    @Test
    void should_serve_no_metrics_when_turned_off() throws Exception {
        api = AdminApi.start(withSecrets(Map.of("dump.metrics.enabled", "false")));

        assertThat(api.call("GET", "/metrics", null).statusCode()).isEqualTo(404);
        assertThat(api.call("GET", "/health", null).statusCode()).isEqualTo(200);
    }
}
