package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The application as an operator stops or misconfigures it: a JVM of its own. */
class ShutdownTest {

    @TempDir
    Path work;

    @Test
    void should_stop_a_running_dump_on_sigterm_and_clean_up_well_within_30_seconds() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.createBucket();
        try (TestDatabase db = TestDatabase.create(); Connection holder = db.connect()) {
            db.execute("CREATE TABLE a_rows (id int PRIMARY KEY)", "INSERT INTO a_rows SELECT generate_series(1, 100)",
                    "CREATE TABLE z_held (id int PRIMARY KEY)");
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE z_held IN ACCESS EXCLUSIVE MODE");
            }
            Path spool = Files.createDirectory(work.resolve("spool"));
            Map<String, String> env = ChildApplication.environmentOf(DumpApplication.settings(db, bucket, spool));
            env.put("DUMP_RUN_ONCE", "true");
            Process app = ChildApplication.start(env, null, work);
            await().atMost(Duration.ofSeconds(30)).until(() -> db.dumpSessionsWaitingForALock() == 1);

            long stopping = System.nanoTime();
            app.destroy(); // SIGTERM
            Result result = ChildApplication.await(app, work, 30);
            Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);

            assertThat(stopped).isLessThan(Duration.ofSeconds(15));
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("database-dump failed: the dump was stopped: the application is"
                    + " shutting down").doesNotContain("\tat ");
            assertThat(StoredDump.keys(s3.client(), bucket)).isEmpty();
            assertThat(StoredDump.openMultipartUploads(s3.client(), bucket)).isZero();
            assertThat(spool).isEmptyDirectory();
            // A backend waiting for a lock notices its client is gone once the lock is granted.
            holder.rollback();
            await().atMost(Duration.ofSeconds(10)).until(() -> db.dumpSessions() == 0);
        }
    }

    @Test
    void should_leave_the_calling_thread_alone_when_the_application_stops_after_a_dump() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.createBucket();
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("CREATE TABLE a_rows (id int PRIMARY KEY)");
            try (DumpApplication app = DumpApplication.start(DumpApplication.settings(db, bucket, work))) {
                app.dump();
            }

            assertThat(Thread.interrupted()).as("a finished dump is not stopped again at shutdown").isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "DUMP_COMPRESSION, zip, dump.compression",
        "DUMP_S3_ENDPOINT, 'http//no-scheme', dump.s3.endpoint",
        "DUMP_PIECE_ROWS, -100, dump.piece-rows",
        "DUMP_ENCRYPTION_RECIPIENTS, age1notakey, dump.encryption.recipients",
        // The shape of a key, but its checksum is off.
        "DUMP_ENCRYPTION_RECIPIENTS, age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q,"
                + " dump.encryption.recipients",
        "DUMP_ENCRYPTION_RECIPIENTS_FILE, /nonexistent/recipients.txt, dump.encryption.recipients-file",
        "DUMP_ENCRYPTION_IDENTITY_FILE, /nonexistent/key.txt, dump.encryption.identity-file",
        "DUMP_S3_SERVER_SIDE_ENCRYPTION, aes, dump.s3.server-side-encryption"})
    void should_refuse_a_bad_setting_at_start_naming_the_key(String variable, String value, String key)
            throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.createBucket();
        try (TestDatabase db = TestDatabase.create()) {
            Path spool = Files.createDirectory(work.resolve("spool"));
            Map<String, String> env = ChildApplication.environmentOf(DumpApplication.settings(db, bucket, spool));
            env.put("DUMP_RUN_ONCE", "true");
            env.put(variable, value);

            Result result = ChildApplication.run(env, null, work, 60);

            assertThat(result.exitCode()).isEqualTo(2);
            List<String> errorLines = result.stderr().lines()
                    .filter(line -> line.startsWith("database-dump failed to start:")).toList();
            assertThat(errorLines).singleElement().asString().contains("invalid setting " + key);
            assertThat(result.stderr()).doesNotContain("\tat ");
            assertThat(StoredDump.keys(s3.client(), bucket)).isEmpty();
            assertThat(spool).isEmptyDirectory();
        }
    }
}
