package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** A stored dump read back from the store and checked end to end; every kind of damage named in the report. */
class VerifyTest extends DumpIntegrationTest {

    @BeforeEach
    void schema() {
        db.execute("CREATE TABLE cases (id int PRIMARY KEY, title text, details json)",
                "INSERT INTO cases SELECT g, 'case ' || g, ('{\"n\":  ' || g || '}')::json FROM generate_series(1, 300) g",
                "CREATE TABLE clients (id int PRIMARY KEY, name text)",
                "INSERT INTO clients SELECT g, 'client ' || g FROM generate_series(1, 40) g",
                "CREATE TABLE empty_one (id int PRIMARY KEY)");
    }

    private JsonNode verify(String key) throws Exception {
        try (DumpApplication app = DumpApplication.start(settings())) {
            return StoredDump.EXACT_JSON.readTree(app.verify(key));
        }
    }

    /** Replaces the stored object (and, when given, its checksum file) as a damaged store or a person might. */
    private void replace(String key, byte[] bytes, boolean withMatchingChecksum) {
        StoredDump.replace(s3.client(), bucket, key, bytes, withMatchingChecksum);
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(strings = {"none", "gzip"})
    void should_report_a_fresh_dump_as_intact_table_by_table(String compression) throws Exception {
        Map<String, String> settings = settings();
        settings.put("dump.compression", compression);
        Dump dump = dump(settings);

        JsonNode report = verify(dump.key());

        assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
        assertThat(report.get("key").asText()).isEqualTo(dump.key());
        assertThat(report.get("sha256_ok").asBoolean()).isTrue();
        assertThat(report.get("sha256").asText()).isEqualTo(dump.stored().sha256());
        assertThat(report.get("size_bytes").asLong()).isEqualTo(dump.stored().storedBytes().length);
        assertThat(report.get("total_rows").asLong()).isEqualTo(340);
        assertThat(report.at("/tables/cases").toString()).isEqualTo("{\"rows\":300,\"expected_rows\":300,\"ok\":true}");
        assertThat(report.at("/tables/empty_one/ok").asBoolean()).isTrue();
        assertThat(report.get("problem").isNull()).isTrue();
    }

    @Test
    void should_verify_the_newest_dump_as_latest() throws Exception {
        dump();
        Dump newest = dump();

        assertThat(verify("latest").get("key").asText()).isEqualTo(newest.key());
    }

    @Test
    void should_report_a_flipped_byte_that_still_parses_through_the_checksum() throws Exception {
        Dump dump = dump();
        String text = new String(dump.stored().storedBytes(), StandardCharsets.UTF_8);
        replace(dump.key(), text.replace("\"client 17\"", "\"client 27\"").getBytes(StandardCharsets.UTF_8), false);

        JsonNode report = verify(dump.key());

        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("sha256_ok").asBoolean()).isFalse();
        assertThat(report.get("problem").asText()).startsWith("the stored bytes' SHA-256 is ")
                .contains(" where the checksum file says " + dump.stored().sha256());
        assertThat(report.at("/tables/clients/ok").asBoolean()).as("the document itself still reads").isTrue();
    }

    @Test
    void should_report_a_flipped_byte_in_a_gzip_dump() throws Exception {
        Map<String, String> settings = settings();
        settings.put("dump.compression", "gzip");
        Dump dump = dump(settings);
        byte[] damaged = dump.stored().storedBytes().clone();
        damaged[damaged.length * 2 / 3] ^= 0x10;
        replace(dump.key(), damaged, false);

        JsonNode report = verify(dump.key());

        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("sha256_ok").asBoolean()).isFalse();
        assertThat(report.get("problem").asText()).matches("the stored bytes do not decode.*|the document .*");
    }

    @Test
    void should_report_a_truncated_dump_naming_where_it_ends() throws Exception {
        Dump dump = dump();
        byte[] stored = dump.stored().storedBytes();
        replace(dump.key(), Arrays.copyOf(stored, stored.length - 500), false);

        JsonNode report = verify(dump.key());

        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("problem").asText()).startsWith("the document ends early in table clients")
                .endsWith("(truncated?)");
        assertThat(report.at("/tables/cases/ok").asBoolean()).isTrue();
        assertThat(report.at("/tables/clients/ok").asBoolean()).isFalse();
        assertThat(report.at("/tables/empty_one/ok").asBoolean()).isFalse();
    }

    @Test
    void should_report_a_checksum_file_that_does_not_match() throws Exception {
        Dump dump = dump();
        s3.client().putObject(PutObjectRequest.builder().bucket(bucket).key(dump.key() + ".sha256").build(),
                RequestBody.fromString("0".repeat(64) + "  x.json\n"));

        JsonNode report = verify(dump.key());

        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("sha256_ok").asBoolean()).isFalse();
        assertThat(report.get("sha256_expected").asText()).isEqualTo("0".repeat(64));
        assertThat(report.get("sha256").asText()).isEqualTo(dump.stored().sha256());
    }

    @Test
    void should_name_the_table_whose_array_is_shorter_than_its_summary() throws Exception {
        Dump dump = dump();
        // One row of clients gone, the checksum file made to match: only the counts can tell.
        String text = new String(dump.stored().storedBytes(), StandardCharsets.UTF_8)
                .replace("{\"id\":40,\"name\":\"client 40\"}\n", "").replace("\"client 39\"},", "\"client 39\"}");
        replace(dump.key(), text.getBytes(StandardCharsets.UTF_8), true);

        JsonNode report = verify(dump.key());

        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(report.get("sha256_ok").asBoolean()).isTrue();
        assertThat(report.get("problem").asText()).isEqualTo("table clients has 39 rows where tables_summary says 40");
        assertThat(report.at("/tables/clients").toString())
                .isEqualTo("{\"rows\":39,\"expected_rows\":40,\"ok\":false}");
    }

    @Test
    void should_fail_in_one_line_when_the_dump_does_not_exist() {
        try (DumpApplication app = DumpApplication.start(settings())) {
            Throwable failure = catchThrowable(() -> app.verify("dumps/full-dump-20200101T000000.000Z.json"));

            assertThat(failure.getCause()).isInstanceOf(DumpFailedException.class).hasMessage(
                    "there is no dump at s3://" + bucket + "/dumps/full-dump-20200101T000000.000Z.json");
        }
    }

    @Test
    void should_verify_every_dump_after_upload_when_asked_and_fail_one_that_reads_back_wrong() throws Exception {
        Map<String, String> settings = settings();
        settings.put("dump.verify-after-upload", "true");
        assertThat(dump(settings).summary().get("key").asText()).as("an intact dump passes").isNotEmpty();

        CuttingProxy.Rule readingTheDump = (all, connection, chunk) -> chunk.startsWith("GET /" + bucket + "/dumps/")
                && chunk.contains(".json HTTP/1.1");
        try (CuttingProxy damaging = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                .corruptingAnswersTo(readingTheDump)) {
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + damaging.port());
            int before = StoredDump.keys(s3.client(), bucket).size();

            Throwable failure = failedDump(settings);

            assertThat(damaging.corrupted()).isEqualTo(1);
            assertThat(failure.getMessage()).startsWith("verifying the stored dump failed: ");
            assertThat(StoredDump.keys(s3.client(), bucket)).as("the dump that did not verify was removed")
                    .hasSize(before);
        }
    }
}
