package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.ChildApplication;
import dev.databasedump.support.ChildApplication.Result;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dump.run-once as operators run it: a JVM of its own, configured through environment variables. */
class RunOnceTest {

    private static final String DB_PASSWORD = "db-password-never-shown";

    @TempDir
    Path work;
    private final S3ProxyServer s3 = S3ProxyServer.get();
    private TestDatabase db;
    private String bucket;
    private Path tmpDir;

    @BeforeEach
    void databaseAndBucket() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE cases (id int PRIMARY KEY, title text)", "INSERT INTO cases VALUES (1, 'one')");
        bucket = s3.createBucket();
        tmpDir = Files.createDirectory(work.resolve("spool"));
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private Map<String, String> environment() {
        Map<String, String> env = ChildApplication.environmentOf(DumpApplication.settings(db, bucket, tmpDir));
        env.put("DUMP_RUN_ONCE", "true");
        env.put("DUMP_DB_PASSWORD", DB_PASSWORD);
        return env;
    }

    @Test
    void should_print_the_summary_as_the_last_line_and_exit_zero() throws Exception {
        Map<String, String> env = environment();
        env.put("DUMP_ENVIRONMENT", "from-the-environment");

        Result result = ChildApplication.run(env, null, work, 120);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode summary = StoredDump.EXACT_JSON.readTree(result.lastStdoutLine());
        assertThat(TableSelectionTest.fieldNames(summary)).containsExactly("bucket", "key", "size_bytes", "sha256",
                "metadata");
        assertThat(summary.at("/metadata/environment").asText()).isEqualTo("from-the-environment");
        assertThat(summary.at("/metadata/total_rows").asLong()).isEqualTo(1);
        assertThat(StoredDump.keys(s3.client(), bucket)).contains(summary.get("key").asText());
        assertThat(result.stdout() + result.stderr()).doesNotContain(DB_PASSWORD)
                .doesNotContain(S3ProxyServer.SECRET_KEY);
    }

    @Test
    void should_warn_of_settings_it_does_not_know_by_name_without_their_values() throws Exception {
        Map<String, String> env = environment();
        // A key an earlier version had, and a misspelt secret.
        env.put("DUMP_PAGE_SIZE", "5000");
        env.put("DUMP_S3_SECRET_KAY", "misspelt-secret-never-shown");

        Result result = ChildApplication.run(env, null, work, 120);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr()).contains("Ignoring settings this version does not know: DUMP_PAGE_SIZE,"
                + " DUMP_S3_SECRET_KAY").doesNotContain("misspelt-secret-never-shown");
    }

    @Test
    void should_end_at_once_with_exit_code_3_while_another_dump_of_the_database_runs() throws Exception {
        Path first = Files.createDirectory(work.resolve("first"));
        Path second = Files.createDirectory(work.resolve("second"));
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE");
            }
            // The first CronJob run waits for the table, holding this database's dump lock.
            Process running = ChildApplication.start(environment(), null, first);
            await().atMost(Duration.ofSeconds(60)).until(() -> db.dumpSessionsWaitingForALock() == 1);

            long started = System.nanoTime();
            Result overlapping = ChildApplication.run(environment(), null, second, 60);

            assertThat(overlapping.exitCode()).as(overlapping.stderr()).isEqualTo(3);
            assertThat(overlapping.stderr()).contains("another dump of this database is running")
                    .doesNotContain("\tat ");
            // The line says how to find the holder; run as it says, the query finds the first run's session.
            String busyLine = overlapping.stderr().lines().filter(l -> l.startsWith("database-dump: another dump"))
                    .findFirst().orElseThrow();
            String query = busyLine.substring(busyLine.indexOf("SELECT "), busyLine.length() - 1);
            assertThat(query).contains("pg_locks").contains("advisory");
            assertThat(db.strings(query.replace("SELECT pid, application_name", "SELECT application_name")))
                    .containsExactly("database-dump");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            holder.rollback();
            Result finished = ChildApplication.await(running, first, 60);
            assertThat(finished.exitCode()).as(finished.stderr()).isZero();
        }
        assertThat(StoredDump.keys(s3.client(), bucket)).hasSize(2);
    }

    @Test
    void should_use_the_aws_default_credential_chain_without_static_keys() throws Exception {
        Map<String, String> env = environment();
        env.remove("DUMP_S3_ACCESS_KEY");
        env.remove("DUMP_S3_SECRET_KEY");
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);

        Result result = ChildApplication.run(env, null, work, 120);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(StoredDump.keys(s3.client(), bucket)).hasSize(2);
    }

    @Test
    void should_exit_non_zero_with_one_line_on_stderr_when_the_database_is_unreachable() throws Exception {
        Map<String, String> env = environment();
        env.put("DUMP_DB_URL", "jdbc:postgresql://127.0.0.1:" + S3ProxyServer.freePort() + "/nowhere");

        Result result = ChildApplication.run(env, null, work, 120);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().lines().filter(l -> l.startsWith("database-dump failed:")))
                .singleElement().asString().contains("the database failed").contains("refused");
        assertThat(result.stderr()).doesNotContain("\tat ").doesNotContain(DB_PASSWORD)
                .doesNotContain(S3ProxyServer.SECRET_KEY);
        assertThat(result.stdout()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(StoredDump.keys(s3.client(), bucket)).isEmpty();
        assertThat(tmpDir).isEmptyDirectory();
    }

    @Test
    void should_refuse_to_start_when_nothing_would_ever_trigger_a_dump() throws Exception {
        Map<String, String> env = environment();
        env.put("DUMP_RUN_ONCE", "false");

        Result result = ChildApplication.run(env, null, work, 120);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("dump.run-once").contains("dump.http.enabled");
    }

    @Test
    void should_refuse_to_start_on_a_bad_setting_naming_the_key() throws Exception {
        Map<String, String> env = environment();
        env.put("DUMP_PIECE_ROWS", "-5");

        Result result = ChildApplication.run(env, null, work, 120);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("dump.piece-rows").doesNotContain("\tat ");
        assertThat(StoredDump.keys(s3.client(), bucket)).isEmpty();
    }
}
