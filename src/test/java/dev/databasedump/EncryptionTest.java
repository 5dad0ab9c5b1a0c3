package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.AgeKeys;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dumps encrypted to age recipients: only the holders of a private key read them, with the standard age tool, and
 * verify and restore read them with an identity file.
 */
class EncryptionTest extends DumpIntegrationTest {

    private static final String PRIVILEGED = "privileged-matter-only-in-the-dump";

    /** Keys and downloads live apart from dump.tmp-dir, which must hold nothing of ours after a dump. */
    @TempDir
    Path keysDir;
    private AgeKeys keys;

    @BeforeEach
    void schemaAndKeys() throws Exception {
        db.execute("CREATE TABLE matters (id int PRIMARY KEY, title text, notes json)",
                "INSERT INTO matters SELECT g, '" + PRIVILEGED + " ' || g, ('{\"n\":  ' || g || '}')::json"
                        + " FROM generate_series(1, 3000) g",
                "CREATE TABLE clients (id int PRIMARY KEY, name text)", "INSERT INTO clients VALUES (1, 'a')");
        keys = AgeKeys.generate(keysDir, "key");
    }

    private Map<String, String> encrypted(String compression) {
        Map<String, String> settings = settings();
        settings.put("dump.compression", compression);
        settings.put("dump.encryption.recipients", keys.publicKey());
        return settings;
    }

    private static String dataOf(String document) {
        return document.substring(document.indexOf(",\n\"data\":{"));
    }

    private Path stored(Dump dump) throws Exception {
        Path file = keysDir.resolve("downloaded.age");
        Files.write(file, dump.stored().storedBytes());
        return file;
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(strings = {"none", "gzip"})
    void should_store_a_dump_that_the_age_tool_decrypts_to_the_document(String compression) throws Exception {
        Map<String, String> settings = encrypted(compression);
        settings.put("dump.s3.part-size", String.valueOf(5 * 1024 * 1024));

        Dump dump = dumpStoredOnly(settings);

        assertThat(dump.key()).endsWith(compression.equals("gzip") ? ".json.gz.age" : ".json.age");
        assertThat(dump.stored().contentType()).isEqualTo("application/octet-stream");
        byte[] stored = dump.stored().storedBytes();
        assertThat(new String(stored, 0, 21, StandardCharsets.US_ASCII)).isEqualTo("age-encryption.org/v1");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(PRIVILEGED).doesNotContain("matters");
        assertThat(dump.summary().get("sha256").asText()).isEqualTo(dump.stored().sha256());
        assertThat(StoredDump.text(s3.client(), bucket, dump.key() + ".sha256")).startsWith(dump.stored().sha256());
        assertThat(dump.summary().get("encrypted").asBoolean()).isTrue();
        assertThat(dump.summary().get("recipients").toString()).isEqualTo("[\"" + keys.publicKey() + "\"]");

        byte[] decrypted = keys.decryptWithAgeTool(stored(dump));
        String document = new String(compression.equals("gzip")
                ? new GZIPInputStream(new ByteArrayInputStream(decrypted)).readAllBytes() : decrypted,
                StandardCharsets.UTF_8);
        JsonNode parsed = StoredDump.EXACT_JSON.readTree(document);
        assertThat(document).startsWith("{\"metadata\":{\"format_version\":3,");
        assertThat(parsed.at("/metadata/tables_summary/matters/rows").asLong()).isEqualTo(3000);
        assertThat(parsed.at("/data/matters")).hasSize(3000);
        // The same document as the same dump stored unencrypted, from its data on.
        Map<String, String> plain = settings();
        plain.put("dump.compression", compression);
        assertThat(dataOf(document)).isEqualTo(dataOf(dump(plain).stored().json()));
        assertThat(tmp.resolve("spool")).doesNotExist();
        try (var files = Files.list(tmp)) {
            assertThat(files.filter(file -> file.getFileName().toString().startsWith("database-dump-")))
                    .as("no plaintext left on disk").isEmpty();
        }
    }

    /** The stored dump as downloaded, without parsing it (it is encrypted). */
    private Dump dumpStoredOnly(Map<String, String> settings) throws Exception {
        try (DumpApplication app = DumpApplication.start(settings)) {
            JsonNode summary = StoredDump.EXACT_JSON.readTree(app.dump());
            StoredDump stored = StoredDump.download(s3.client(), bucket, summary.get("key").asText());
            return new Dump(summary, stored, null);
        }
    }

    @Test
    void should_verify_and_restore_an_encrypted_dump_with_the_identity_file() throws Exception {
        Map<String, String> settings = encrypted("gzip");
        settings.put("dump.encryption.identity-file", keys.identityFile().toString());
        Dump dump = dumpStoredOnly(settings);
        try (TestDatabase target = TestDatabase.create()) {
            target.execute("CREATE TABLE matters (id int PRIMARY KEY, title text, notes json)",
                    "CREATE TABLE clients (id int PRIMARY KEY, name text)");
            settings.put("dump.restore.db.url", target.url());
            try (CapturedLogs logs = new CapturedLogs(); DumpApplication app = DumpApplication.start(settings)) {
                JsonNode report = StoredDump.EXACT_JSON.readTree(app.verify(dump.key()));
                JsonNode restored = StoredDump.EXACT_JSON.readTree(app.restore(dump.key()));

                assertThat(report.get("ok").asBoolean()).as(report.toString()).isTrue();
                assertThat(report.get("encrypted").asBoolean()).isTrue();
                assertThat(report.get("document_checked").asBoolean()).isTrue();
                assertThat(report.at("/tables/matters/rows").asLong()).isEqualTo(3000);
                assertThat(restored.get("rows").asLong()).isEqualTo(3001);
                assertThat(target.strings("SELECT notes::text FROM matters WHERE id = 7")).containsExactly("{\"n\":  7}");
                assertThat(logs.text()).doesNotContain(keys.secretKey());
            }
        }
    }

    @Test
    void should_check_only_the_stored_bytes_without_an_identity_and_say_so() throws Exception {
        Dump dump = dumpStoredOnly(encrypted("none"));

        JsonNode report;
        try (DumpApplication app = DumpApplication.start(settings())) {
            report = StoredDump.EXACT_JSON.readTree(app.verify(dump.key()));
        }

        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.get("sha256_ok").asBoolean()).isTrue();
        assertThat(report.get("encrypted").asBoolean()).isTrue();
        assertThat(report.get("document_checked").asBoolean()).isFalse();
        assertThat(report.get("tables")).isEmpty();
    }

    @Test
    void should_fail_in_one_line_with_an_identity_the_dump_is_not_encrypted_to() throws Exception {
        Dump dump = dumpStoredOnly(encrypted("none"));
        AgeKeys other = AgeKeys.generate(keysDir, "other");
        Map<String, String> settings = settings();
        settings.put("dump.encryption.identity-file", other.identityFile().toString());
        settings.put("dump.restore.db.url", db.url());

        try (CapturedLogs logs = new CapturedLogs(); DumpApplication app = DumpApplication.start(settings)) {
            Throwable verify = catchThrowable(() -> app.verify(dump.key())).getCause();
            Throwable restore = catchThrowable(() -> app.restore(dump.key())).getCause();

            for (Throwable failure : new Throwable[] {verify, restore}) {
                assertThat(failure.getMessage()).isEqualTo("the dump is encrypted to other recipients than the"
                        + " identities in dump.encryption.identity-file (or its age header is damaged)");
            }
            assertThat(logs.text()).doesNotContain(other.secretKey()).doesNotContain("\tat ");
        }
    }

    @Test
    void should_encrypt_to_every_recipient_so_keys_can_rotate() throws Exception {
        AgeKeys next = AgeKeys.generate(keysDir, "next");
        Path recipientsFile = Files.writeString(keysDir.resolve("recipients.txt"),
                "# the key we rotate to\n" + next.publicKey() + "\n");
        Map<String, String> settings = encrypted("none");
        settings.put("dump.encryption.recipients-file", recipientsFile.toString());

        Dump dump = dumpStoredOnly(settings);

        assertThat(dump.summary().get("recipients")).hasSize(2);
        assertThat(keys.decryptWithAgeTool(stored(dump))).isEqualTo(next.decryptWithAgeTool(stored(dump)));
    }

    @Test
    void should_leave_no_plaintext_behind_when_an_encrypted_dump_fails() throws Exception {
        db.execute("CREATE TABLE big (id int PRIMARY KEY, pad text)",
                "INSERT INTO big SELECT g, repeat('p', 1000) FROM generate_series(1, 15000) g");
        CuttingProxy.Rule parts = (all, connection, chunk) -> chunk.contains("PUT /") && chunk.contains("partNumber=3");
        try (CuttingProxy refusing = new CuttingProxy(s3.endpoint().getPort(), parts,
                CuttingProxy.SERVICE_UNAVAILABLE)) {
            Map<String, String> settings = encrypted("none");
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + refusing.port());

            Throwable failure = failedDump(settings);

            assertThat(failure.getMessage()).contains("503");
        }
        assertNothingLeftBehind();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"AES256, 1", "aws:kms, 1", "AES256, 12000", "aws:kms, 12000"})
    void should_ask_the_store_to_encrypt_on_every_put_and_multipart_upload(String sse, int rows) throws Exception {
        // One row: the dump goes up in one PUT; 12,000 rows of 1 kB: in parts, after a CreateMultipartUpload.
        db.execute("CREATE TABLE big (id int PRIMARY KEY, pad text)",
                "INSERT INTO big SELECT g, repeat('p', 1000) FROM generate_series(1, " + rows + ") g");
        try (CuttingProxy recording = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)) {
            Map<String, String> settings = settings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + recording.port());
            settings.put("dump.s3.server-side-encryption", sse);
            if (sse.equals("aws:kms")) {
                settings.put("dump.s3.kms-key-id", "alias/database-dumps");
            }

            // S3Proxy does not encrypt on request and says so, as such stores do: the line names the setting.
            Throwable refused = failedDump(settings);

            assertThat(refused.getMessage()).startsWith("the store does not implement what the upload asked of it"
                    + " (501 NotImplemented): if dump.s3.server-side-encryption is set");
            String upload = recording.passedHeaders().stream()
                    .filter(h -> rows == 1 ? h.startsWith("PUT /" + bucket + "/dumps/full-dump-")
                            : h.startsWith("POST ") && h.contains("?uploads"))
                    .findFirst().orElseThrow();
            assertThat(upload.toLowerCase()).contains("x-amz-server-side-encryption: " + sse.toLowerCase());
            if (sse.equals("aws:kms")) {
                assertThat(upload).containsIgnoringCase(
                        "x-amz-server-side-encryption-aws-kms-key-id: alias/database-dumps");
            }
        }
        assertNothingLeftBehind();
    }
}
