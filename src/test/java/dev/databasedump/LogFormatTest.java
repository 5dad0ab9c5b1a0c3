package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.support.AdminApi;
import dev.databasedump.support.AgeKeys;
import dev.databasedump.support.ChildApplication;
import dev.databasedump.support.ChildApplication.Result;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dump.log.format as a log shipper reads it: the run-once application's stderr, line by line. */
class LogFormatTest {

    private static final String DB_PASSWORD = "db-password-never-logged";
    private static final String WEBHOOK_TOKEN = "webhook-token-never-logged";

    @TempDir
    Path work;
    private final S3ProxyServer s3 = S3ProxyServer.get();
    private final ObjectMapper json = new ObjectMapper();
    private TestDatabase db;
    private String bucket;
    private AgeKeys keys;

    @BeforeEach
    void databaseAndBucket() throws Exception {
        db = TestDatabase.create();
        db.execute("CREATE TABLE cases (id int PRIMARY KEY, title text)", "INSERT INTO cases VALUES (1, 'one')");
        bucket = s3.createBucket();
        keys = AgeKeys.generate(Files.createDirectory(work.resolve("keys")), "ops");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    // Every secret the application knows, set; the webhook points at a port nobody listens on, so its failure logs.
    private Map<String, String> environment(String logFormat) throws Exception {
        Path tmpDir = Files.createDirectories(work.resolve("spool"));
        Map<String, String> env = ChildApplication.environmentOf(DumpApplication.settings(db, bucket, tmpDir));
        env.put("DUMP_RUN_ONCE", "true");
        env.put("DUMP_DB_PASSWORD", DB_PASSWORD);
        env.put("DUMP_AUTH_JWT_SECRET", AdminApi.JWT_SECRET);
        env.put("DUMP_NOTIFY_WEBHOOK_URL", "http://127.0.0.1:" + S3ProxyServer.freePort() + "/hooks/" + WEBHOOK_TOKEN);
        env.put("DUMP_NOTIFY_ATTEMPTS", "1");
        env.put("DUMP_ENCRYPTION_RECIPIENTS", keys.publicKey());
        env.put("DUMP_ENCRYPTION_IDENTITY_FILE", keys.identityFile().toString());
        // Read back with the identity: a verify that logs, holding the secret key.
        env.put("DUMP_VERIFY_AFTER_UPLOAD", "true");
        if (logFormat != null) {
            env.put("DUMP_LOG_FORMAT", logFormat);
        }
        return env;
    }

    private void assertNoSecretIn(Result result) {
        assertThat(result.stdout() + result.stderr()).doesNotContain(DB_PASSWORD)
                .doesNotContain(S3ProxyServer.SECRET_KEY).doesNotContain(AdminApi.JWT_SECRET)
                .doesNotContain(WEBHOOK_TOKEN).doesNotContain(keys.secretKey())
                .doesNotContain(keys.secretKey().toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void should_log_one_json_object_per_line_naming_the_dump_and_the_job() throws Exception {
        Result result = ChildApplication.run(environment("json"), null, work, 120);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        String key = StoredDump.EXACT_JSON.readTree(result.lastStdoutLine()).get("key").asText();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : result.stderr().lines().toList()) {
            JsonNode parsed = json.readTree(line);
            assertThat(parsed.isObject()).as(line).isTrue();
            for (String field : List.of("timestamp", "level", "logger", "message")) {
                assertThat(parsed.hasNonNull(field)).as(field + " in " + line).isTrue();
            }
            lines.add(parsed);
        }
        assertThat(lines.get(0).get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        JsonNode stored = lines.stream().filter(l -> l.get("message").asText().startsWith("4/4 Dump stored"))
                .findFirst().orElseThrow();
        assertThat(stored.get("level").asText()).isEqualTo("INFO");
        assertThat(stored.get("logger").asText()).isEqualTo("dev.databasedump.pipeline.DumpPipeline");
        assertThat(stored.get("dump_key").asText()).isEqualTo(key);
        String jobId = stored.get("job_id").asText();
        assertThat(jobId).matches("[0-9a-f-]{36}");
        // The lines the reading threads write say which dump and job too.
        JsonNode exported = lines.stream().filter(l -> l.get("message").asText().startsWith("2/4 Exported"))
                .findFirst().orElseThrow();
        assertThat(exported.get("thread").asText()).startsWith("database-dump-reader");
        assertThat(exported.get("dump_key").asText()).isEqualTo(key);
        assertThat(exported.get("job_id").asText()).isEqualTo(jobId);
        assertThat(lines).as("the webhook's failure was logged").anyMatch(l -> l.get("level").asText().equals("WARN")
                && l.get("logger").asText().contains("Webhook"));
        assertNoSecretIn(result);
    }

    @Test
    void should_keep_readable_lines_by_default_with_no_secret_either() throws Exception {
        Result result = ChildApplication.run(environment(null), null, work, 120);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stderr().lines()).isNotEmpty()
                .allMatch(line -> !line.startsWith("{"))
                .anyMatch(line -> line.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*4/4 Dump stored.*"));
        assertNoSecretIn(result);
    }

    @Test
    void should_refuse_to_start_on_an_unknown_log_format() throws Exception {
        Result result = ChildApplication.run(environment("xml"), null, work, 60);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr().strip()).isEqualTo("database-dump failed to start: dump.log.format must be text or json");
    }
}
