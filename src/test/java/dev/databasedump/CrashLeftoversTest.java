package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.databasedump.storage.DumpKeys;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.ChildApplication;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dump killed outright (kill -9, a lost node) cleans up nothing itself: the next dump removes its open upload and
 * its temporary files, and leaves a dump that is still running alone.
 */
class CrashLeftoversTest extends DumpIntegrationTest {

    private Path spool;
    private Path work;

    @BeforeEach
    void largeTable() throws IOException {
        // About 30 MB of JSON: several 5 MiB parts.
        db.execute("CREATE TABLE events (id int PRIMARY KEY, v text)",
                "INSERT INTO events SELECT g, repeat('e', 300) FROM generate_series(1, 100000) g");
        spool = Files.createDirectory(tmp.resolve("spool"));
        work = Files.createDirectory(tmp.resolve("work"));
    }

    /** A run-once dump in a JVM of its own, whose parts the store takes a long time to accept. */
    private Process dumpWithSlowParts(CuttingProxy slow) throws IOException {
        Map<String, String> settings = settings();
        settings.put("dump.tmp-dir", spool.toString());
        settings.put("dump.s3.endpoint", "http://127.0.0.1:" + slow.port());
        Map<String, String> env = ChildApplication.environmentOf(settings);
        env.put("DUMP_RUN_ONCE", "true");
        Process app = ChildApplication.start(env, null, work);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> StoredDump.openMultipartUploads(s3.client(), bucket) == 1 && !files(spool).isEmpty());
        return app;
    }

    private Map<String, String> nextDump(String staleAfter) {
        Map<String, String> settings = settings();
        settings.put("dump.tmp-dir", spool.toString());
        settings.put("dump.cleanup.stale-after", staleAfter);
        return settings;
    }

    @Test
    void should_remove_the_open_upload_and_the_temporary_files_of_a_killed_dump_before_the_next_dump()
            throws Exception {
        try (CuttingProxy slow = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                .delaying((all, connection, chunk) -> chunk.contains("partNumber="), 30_000)) {
            Process killed = dumpWithSlowParts(slow);
            killed.destroyForcibly();
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        List<Path> left = files(spool);
        assertThat(left).as("what the killed dump left").isNotEmpty();
        assertThat(StoredDump.openMultipartUploads(s3.client(), bucket)).isEqualTo(1);
        // Its upload counts as stale once the time its key names is more than dump.cleanup.stale-after ago.
        String killedKey = s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().get(0).key();
        Instant killedAt = DumpKeys.timestampOf(killedKey.substring("dumps/full-dump-".length(),
                killedKey.length() - ".json".length()));
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(killedAt.plusSeconds(2)));

        try (CapturedLogs logs = new CapturedLogs()) {
            Dump next = dump(nextDump("1s"));

            assertThat(StoredDump.openMultipartUploads(s3.client(), bucket)).as("open uploads").isZero();
            assertThat(files(spool)).as("temporary files").isEmpty();
            assertThat(StoredDump.keys(s3.client(), bucket)).containsExactly(next.key(), next.key() + ".sha256");
            assertThat(logs.text()).containsPattern("Removed what dumps that died left: 1 open upload \\[dumps/"
                    + "full-dump-[^]]+\\.json], " + left.size() + " temporary files \\(\\d+ bytes\\)");
        }
    }

    @Test
    void should_leave_the_upload_and_files_of_a_dump_that_is_still_running_alone() throws Exception {
        try (CuttingProxy slow = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                .delaying((all, connection, chunk) -> chunk.contains("partNumber="), 30_000)) {
            Process running = dumpWithSlowParts(slow);
            try {
                // Its piece spools come and go as it reads; its lock and its document stay while it runs.
                List<Path> itsFiles = files(spool).stream().filter(file -> file.toString().endsWith(".lock")
                        || file.getFileName().toString().contains("-document-")).toList();
                assertThat(itsFiles).hasSize(2);

                dump(nextDump("24h"));

                assertThat(StoredDump.openMultipartUploads(s3.client(), bucket)).isEqualTo(1);
                assertThat(files(spool)).containsAll(itsFiles);
                assertThat(running.isAlive()).isTrue();
            } finally {
                running.destroyForcibly();
                running.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
