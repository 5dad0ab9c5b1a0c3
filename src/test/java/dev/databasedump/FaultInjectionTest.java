package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.http.TestTokens;
import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.support.AdminApi;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every fault ends the same way: one clean line, an error status and a failed job, nothing at the key, no open upload,
 * no temporary file, the one-at-a-time lock released, and the next dump succeeds.
 */
class FaultInjectionTest extends DumpIntegrationTest {

    private AdminApi api;

    @AfterEach
    void stopApp() {
        if (api != null) {
            api.close();
        }
    }

    private void startApi(Map<String, String> extra) throws Exception {
        Map<String, String> settings = settings();
        settings.putAll(extra);
        api = AdminApi.start(settings);
    }

    private HttpResponse<String> call(String method, String path, String... headers) throws Exception {
        return api.call(method, path, TestTokens.admin(), headers);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return StoredDump.EXACT_JSON.readTree(response.body());
    }

    /** A failed dump over HTTP: 500, one clean line, nothing left behind. Returns the line. */
    private String assertDumpFailsCleanly() throws Exception {
        HttpResponse<String> failed = call("POST", "/api/database-dump");
        assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
        String message = json(failed).get("message").asText();
        assertThat(json(failed).get("error").asText()).isEqualTo("dump_failed");
        assertThat(message).doesNotContain("\n").doesNotContain("\tat ");
        assertNothingLeftBehind();
        return message;
    }

    private void assertNextDumpSucceeds() throws Exception {
        HttpResponse<String> next = call("POST", "/api/database-dump");
        assertThat(next.statusCode()).as("the next dump: " + next.body()).isEqualTo(200);
        assertThat(StoredDump.keys(s3.client(), bucket)).contains(json(next).get("key").asText());
    }

    @Test
    void should_fail_cleanly_when_the_dumps_connection_is_killed_mid_dump() throws Exception {
        db.execute("CREATE TABLE events (id int PRIMARY KEY, v text)",
                "INSERT INTO events SELECT g, 'event ' || g FROM generate_series(1, 300000) g");
        startApi(Map.of());

        String location = call("POST", "/api/database-dump", "Prefer", "respond-async").headers()
                .firstValue("Location").orElseThrow();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> json(call("GET", location)).at("/progress/rows_done").asLong() > 0);
        // One of the connections reading (the table is read in two key ranges at once): the whole dump must fail.
        // Only one in the middle of its COPY: a connection whose piece is done shows its COPY too, while idle.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> db.count("SELECT count(pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND application_name = 'database-dump'"
                        + " AND state = 'active' AND query LIKE 'COPY (SELECT to_json%' LIMIT 1) reading") == 1);

        await().atMost(Duration.ofSeconds(30)).until(() -> !json(call("GET", location)).get("state").asText()
                .equals("running"));
        JsonNode job = json(call("GET", location));
        assertThat(job.get("state").asText()).isEqualTo("failed");
        assertThat(job.get("error").asText()).startsWith("reading table public.events failed").doesNotContain("\n");
        assertNothingLeftBehind();
        assertNextDumpSucceeds();
    }

    @Test
    void should_fail_naming_the_table_when_its_lock_is_held_and_dump_again_once_it_is_free() throws Exception {
        db.execute("CREATE TABLE busy (id int PRIMARY KEY)", "INSERT INTO busy VALUES (1)");
        startApi(Map.of("dump.lock-timeout", "500ms"));
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
            }

            assertThat(assertDumpFailsCleanly()).startsWith("locking table public.busy failed")
                    .contains("lock timeout");
        }
        assertNextDumpSucceeds();
    }

    @Test
    void should_make_truncate_and_drop_wait_for_the_dump_and_leave_new_tables_out() throws Exception {
        db.execute("CREATE TABLE a_rows (id int PRIMARY KEY)",
                "INSERT INTO a_rows SELECT generate_series(1, 1000)", "CREATE TABLE z_gate (id int PRIMARY KEY)");
        startApi(Map.of());
        CompletableFuture<Void> drop;
        CompletableFuture<HttpResponse<String>> dump;
        try (Connection gate = db.connect(); Connection other = db.connect()) {
            gate.setAutoCommit(false);
            try (Statement statement = gate.createStatement()) {
                statement.execute("LOCK TABLE z_gate IN ACCESS EXCLUSIVE MODE");
            }
            // The dump holds ACCESS SHARE on a_rows and waits for z_gate.
            dump = CompletableFuture.supplyAsync(() -> {
                try {
                    return call("POST", "/api/database-dump");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> db.dumpSessionsWaitingForALock() == 1);
            try (Statement statement = other.createStatement()) {
                statement.execute("SET lock_timeout = '300ms'");
                assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> statement.execute("TRUNCATE a_rows"))).as("TRUNCATE while the dump runs")
                        .hasMessageContaining("lock timeout");
                statement.execute("CREATE TABLE b_created_meanwhile (id int)");
            }
            drop = CompletableFuture.runAsync(() -> db.execute("DROP TABLE a_rows"));
            await().atMost(Duration.ofSeconds(10)).until(() -> db.count("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND query = 'DROP TABLE a_rows' AND wait_event_type = 'Lock'") == 1);
            gate.rollback();
        }

        HttpResponse<String> done = dump.get(60, TimeUnit.SECONDS);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        JsonNode document = StoredDump.download(s3.client(), bucket, json(done).get("key").asText()).document();
        assertThat(document.at("/data/a_rows")).hasSize(1000);
        assertThat(document.get("data").has("b_created_meanwhile")).isFalse();
        drop.get(30, TimeUnit.SECONDS);
    }

    @Test
    void should_override_a_statement_timeout_set_on_the_role() throws Exception {
        String role = db.name() + "_hurried";
        db.execute("CREATE TABLE events (id int PRIMARY KEY)", "INSERT INTO events SELECT generate_series(1, 50000)",
                "CREATE ROLE " + role + " LOGIN", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role,
                "ALTER ROLE " + role + " SET statement_timeout = '1ms'");
        try {
            Map<String, String> settings = settings();
            settings.put("dump.db.user", role);

            Dump dump = dump(settings);

            assertThat(dump.table("events")).hasSize(50000);
        } finally {
            db.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
    }

    @Test
    void should_retry_503_answers_from_the_store_and_then_fail_cleanly() throws Exception {
        db.execute("CREATE TABLE events (id int PRIMARY KEY)", "INSERT INTO events VALUES (1)");
        try (CuttingProxy slowDown = new CuttingProxy(s3.endpoint().getPort(), CuttingProxy.dumpUploads(),
                CuttingProxy.SERVICE_UNAVAILABLE)) {
            startApi(Map.of("dump.s3.endpoint", "http://127.0.0.1:" + slowDown.port()));

            assertThat(assertDumpFailsCleanly()).startsWith("storing the dump in s3://" + bucket + " failed")
                    .contains("503");
            assertThat(slowDown.cuts()).as("attempts at the upload").isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void should_stop_reading_and_abort_the_upload_when_a_part_sent_during_the_reading_is_refused() throws Exception {
        // About 30 MB: parts of 5 MiB go up while the table is still read.
        db.execute("CREATE TABLE events (id int PRIMARY KEY, v text)",
                "INSERT INTO events SELECT g, repeat('e', 300) FROM generate_series(1, 100000) g");
        CuttingProxy.Rule parts = (all, connection, chunk) -> chunk.contains("PUT /") && chunk.contains("partNumber=");
        try (CuttingProxy refusing = new CuttingProxy(s3.endpoint().getPort(), parts,
                CuttingProxy.SERVICE_UNAVAILABLE)) {
            startApi(Map.of("dump.s3.endpoint", "http://127.0.0.1:" + refusing.port(), "dump.piece-rows", "5000"));

            assertThat(assertDumpFailsCleanly()).startsWith("storing the dump in s3://" + bucket + " failed")
                    .contains("503");
            assertThat(refusing.cuts()).as("attempts at a part").isGreaterThanOrEqualTo(3);
        }
        try (CuttingProxy passing = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)) {
            api.close();
            startApi(Map.of("dump.s3.endpoint", "http://127.0.0.1:" + passing.port()));
            assertNextDumpSucceeds();
        }
    }

    @Test
    void should_ride_out_a_passing_503_from_the_store() throws Exception {
        db.execute("CREATE TABLE events (id int PRIMARY KEY)", "INSERT INTO events VALUES (1)");
        AtomicInteger refusals = new AtomicInteger();
        CuttingProxy.Rule onceOnly = (all, connection, chunk) -> CuttingProxy.dumpUploads().cut(all, connection, chunk)
                && refusals.getAndIncrement() == 0;
        try (CuttingProxy slowDown = new CuttingProxy(s3.endpoint().getPort(), onceOnly,
                CuttingProxy.SERVICE_UNAVAILABLE)) {
            startApi(Map.of("dump.s3.endpoint", "http://127.0.0.1:" + slowDown.port()));

            assertNextDumpSucceeds();
            assertThat(slowDown.cuts()).isEqualTo(1);
        }
    }

    @Test
    void should_fail_fast_when_the_store_is_unreachable() throws Exception {
        Map<String, String> settings = settings();
        settings.put("dump.s3.endpoint", "http://127.0.0.1:" + S3ProxyServer.freePort());

        Throwable failure = failedDump(settings);

        assertThat(failure).isInstanceOf(DumpFailedException.class);
        assertThat(failure.getMessage()).startsWith("the store at " + settings.get("dump.s3.endpoint")
                + " refused the connection: check dump.s3.endpoint").doesNotContain("\n");
        assertNothingLeftBehind();
    }

    @Test
    void should_never_echo_a_wrong_database_password() throws Exception {
        String role = "database_dump_password_check";
        db.execute("DROP ROLE IF EXISTS " + role, "CREATE ROLE " + role + " LOGIN PASSWORD 'the-right-password'");
        try (CapturedLogs logs = new CapturedLogs()) {
            Map<String, String> settings = settings();
            settings.put("dump.db.user", role);
            settings.put("dump.db.password", "a-wrong-password-never-shown");

            Throwable failure = failedDump(settings);

            assertThat(failure.getMessage()).as("needs the password rule that .ci/run puts in pg_hba.conf")
                    .contains("password authentication failed").doesNotContain("a-wrong-password-never-shown");
            assertThat(logs.text()).doesNotContain("a-wrong-password-never-shown");
        } finally {
            db.execute("DROP ROLE " + role);
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_name_a_missing_database() {
        Map<String, String> settings = settings();
        settings.put("dump.db.url", db.url() + "_missing");

        Throwable failure = failedDump(settings);

        assertThat(failure.getMessage()).startsWith("opening a snapshot of the database failed")
                .contains("\"" + db.name() + "_missing\" does not exist");
        assertNothingLeftBehind();
    }

    @Test
    void should_fail_cleanly_when_the_temporary_directory_fills_up() throws Exception {
        assumeThat(System.getProperty("user.name")).as("mounting a small file system needs root, as in CI")
                .isEqualTo("root");
        db.execute("CREATE TABLE events (id int PRIMARY KEY, pad text)",
                "INSERT INTO events SELECT g, repeat('x', 500) FROM generate_series(1, 2000) g");
        Path small = Files.createDirectory(tmp.resolve("small"));
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString())
                .inheritIO().start().waitFor()).isZero();
        try {
            Map<String, String> settings = settings();
            settings.put("dump.tmp-dir", small.toString());

            Throwable failure = failedDump(settings);

            assertThat(failure.getMessage()).startsWith("reading table public.events failed")
                    .containsIgnoringCase("no space left");
            try (var files = Files.list(small)) {
                assertThat(files).as("temporary files on the full disk").isEmpty();
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
            Files.deleteIfExists(small);
        }
        assertNothingLeftBehind();
    }
}
