package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.ChildApplication;
import dev.databasedump.support.ChildApplication.Result;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * {@code java -jar database-dump.jar verify|restore <key|latest>} as operators script them: a JVM of its own, settings
 * from the environment, the report or summary as the last line of stdout, and the exit code.
 */
class CommandTest extends DumpIntegrationTest {

    private static final String SCHEMA = "CREATE TABLE cases (id int PRIMARY KEY, title text);"
            + " CREATE TABLE notes (id int PRIMARY KEY, case_id int REFERENCES cases, body text)";

    private TestDatabase target;
    private Path work;

    @BeforeEach
    void dumpAndEmptyTarget() throws Exception {
        db.execute(SCHEMA, "INSERT INTO cases SELECT g, 'case ' || g FROM generate_series(1, 20) g",
                "INSERT INTO notes SELECT g, 1 + g % 20, repeat('n', 200) FROM generate_series(1, 30000) g");
        target = TestDatabase.create();
        target.execute(SCHEMA);
        work = Files.createDirectory(tmp.resolve("work"));
    }

    @AfterEach
    void dropTarget() {
        target.close();
    }

    private Map<String, String> environment() {
        Map<String, String> settings = settings();
        settings.put("dump.restore.db.url", target.url());
        settings.put("dump.restore.db.user", target.adminUser());
        settings.put("dump.restore.db.password", "restore-password-never-shown");
        Map<String, String> env = ChildApplication.environmentOf(settings);
        // Set as a CronJob's environment might be: a command runs its one route and nothing else.
        env.put("DUMP_RUN_ONCE", "true");
        return env;
    }

    @Test
    void should_print_the_report_of_a_verified_dump_and_exit_zero() throws Exception {
        Dump dump = dump();

        Result result = ChildApplication.run(environment(), null, work, 120, "verify", "latest");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode report = StoredDump.EXACT_JSON.readTree(result.lastStdoutLine());
        assertThat(report.get("key").asText()).isEqualTo(dump.key());
        assertThat(report.get("ok").asBoolean()).isTrue();
        // The dump, its checksum, and now the record of its verification beside it; no dump was taken.
        assertThat(StoredDump.keys(s3.client(), bucket)).as("no dump was taken").containsExactlyInAnyOrder(dump.key(),
                dump.key() + ".sha256", dump.key() + ".verify.json");
    }

    @Test
    void should_print_the_report_of_a_damaged_dump_and_exit_one() throws Exception {
        Dump dump = dump();
        String damaged = new String(dump.stored().storedBytes(), StandardCharsets.UTF_8).replace("case 7", "case 9");
        s3.client().putObject(PutObjectRequest.builder().bucket(bucket).key(dump.key()).build(),
                RequestBody.fromString(damaged));

        Result result = ChildApplication.run(environment(), null, work, 120, "verify", dump.key());

        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode report = StoredDump.EXACT_JSON.readTree(result.lastStdoutLine());
        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("sha256_ok").asBoolean()).isFalse();
        assertThat(result.stderr()).contains("the dump did not verify").doesNotContain("\tat ");
    }

    @Test
    void should_restore_a_dump_print_its_summary_and_exit_zero() throws Exception {
        Dump dump = dump();

        Result result = ChildApplication.run(environment(), null, work, 120, "restore", dump.key());

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode summary = StoredDump.EXACT_JSON.readTree(result.lastStdoutLine());
        assertThat(summary.get("key").asText()).isEqualTo(dump.key());
        assertThat(summary.get("database").asText()).isEqualTo(target.name());
        assertThat(summary.get("tables").asInt()).isEqualTo(2);
        assertThat(summary.get("rows").asLong()).isEqualTo(30020);
        assertThat(summary.has("duration_ms")).isTrue();
        assertThat(target.count("SELECT count(*) FROM notes")).isEqualTo(30000);
        assertThat(result.stdout() + result.stderr()).doesNotContain("restore-password-never-shown");
    }

    @Test
    void should_refuse_to_restore_without_a_target_with_exit_code_two_naming_the_key() throws Exception {
        dump();
        Map<String, String> env = environment();
        env.remove("DUMP_RESTORE_DB_URL");

        Result result = ChildApplication.run(env, null, work, 120, "restore", "latest");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("invalid setting dump.restore.db.url").doesNotContain("\tat ");
    }

    @Test
    void should_refuse_a_command_without_its_key_with_exit_code_two() throws Exception {
        Result result = ChildApplication.run(environment(), null, work, 60, "verify");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("usage: java -jar database-dump.jar");
    }

    @Test
    void should_roll_back_everything_when_stopped_mid_restore() throws Exception {
        Dump dump = dump();
        // The download stalls partway through the notes: the restore waits with the cases written, uncommitted.
        try (CuttingProxy stalling = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                .stallingAnswersTo((all, connection, chunk) -> chunk.startsWith("GET /" + bucket + "/dumps/")
                        && chunk.contains(".json HTTP/1.1"), 4_000_000)) {
            Map<String, String> env = environment();
            env.put("DUMP_S3_ENDPOINT", "http://127.0.0.1:" + stalling.port());
            Process restoring = ChildApplication.start(env, null, work, "restore", dump.key());
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(work.resolve("stderr.txt"))
                    .contains("2/4 Restored table public.cases"));
            await().atMost(Duration.ofSeconds(30)).until(() -> target.count("SELECT count(*) FROM pg_locks l"
                    + " JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'cases'"
                    + " AND l.mode = 'RowExclusiveLock'") > 0);

            restoring.destroy();
            Result result = ChildApplication.await(restoring, work, 30);

            assertThat(result.exitCode()).isNotZero();
            assertThat(result.stderr()).contains("database-dump failed: the restore was stopped: the application is"
                    + " shutting down").doesNotContain("\tat ");
        }
        assertThat(target.count("SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM notes)")).isZero();
    }
}
