package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Whatever fails, nothing stays behind: no object at the key, no open multipart upload, no temporary file. */
class FailureCleanupTest extends DumpIntegrationTest {

    @Test
    void should_abort_the_multipart_upload_when_the_connection_is_cut_mid_part() throws Exception {
        // About 12 MB of JSON: three parts of 5 MB.
        db.execute("CREATE TABLE big (id int PRIMARY KEY, pad text)",
                "INSERT INTO big SELECT g, repeat('x', 1000) FROM generate_series(1, 12000) g");
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint().getPort(),
                CuttingProxy.largeRequestsAfter(7_000_000, 1_000_000))) {
            Map<String, String> settings = settings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + proxy.port());

            Throwable failure = failedDump(settings);

            assertThat(proxy.cuts()).as("connections cut").isPositive();
            assertThat(failure).isInstanceOf(DumpFailedException.class);
            assertThat(failure.getMessage()).startsWith("the store closed the connection while receiving part ")
                    .contains("dump.compression=gzip").doesNotContain("\n");
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_fail_when_the_store_answers_a_completion_it_did_not_do() throws Exception {
        db.execute("CREATE TABLE big (id int PRIMARY KEY, pad text)",
                "INSERT INTO big SELECT g, repeat('x', 1000) FROM generate_series(1, 12000) g");
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUploadResult><ETag>\"x\"</ETag>"
                + "</CompleteMultipartUploadResult>";
        String said = "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
        CuttingProxy.Rule completion = (all, connection, chunk) -> chunk.startsWith("POST /") && chunk.contains("uploadId=");
        try (CuttingProxy claiming = new CuttingProxy(s3.endpoint().getPort(), completion, said)) {
            Map<String, String> settings = settings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + claiming.port());

            Throwable failure = failedDump(settings);

            assertThat(claiming.cuts()).as("completions answered without completing").isEqualTo(1);
            assertThat(failure.getMessage()).matches("the store said s3://" + bucket + "/dumps/full-dump-.*\\.json"
                    + " was complete, but it is not there");
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_remove_the_stored_dump_when_its_checksum_file_cannot_be_stored() throws Exception {
        db.execute("CREATE TABLE cases (id int PRIMARY KEY)", "INSERT INTO cases VALUES (1)");
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint().getPort(), CuttingProxy.uploadsEndingWith(".sha256"))) {
            Map<String, String> settings = settings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + proxy.port());

            Throwable failure = failedDump(settings);

            assertThat(failure.getMessage()).startsWith("storing the dump in s3://" + bucket + " failed");
            assertThat(proxy.passedRequests()).as("the dump itself was stored before its checksum file failed")
                    .anyMatch(request -> request.startsWith("PUT /" + bucket + "/dumps/") && request.endsWith(".json"));
            assertThat(proxy.cuts()).isPositive();
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_fail_cleanly_when_the_temporary_directory_is_not_writable() throws Exception {
        db.execute("CREATE TABLE cases (id int PRIMARY KEY)");
        // Tests may run as root, who ignores permissions; nobody can create a file below a regular file.
        Path blocker = Files.writeString(tmp.resolve("a-file"), "not a directory");
        Map<String, String> settings = settings();
        settings.put("dump.tmp-dir", blocker.resolve("spool").toString());

        Throwable failure = failedDump(settings);

        assertThat(failure.getMessage()).startsWith("creating a temporary file in " + blocker.resolve("spool"));
        Files.delete(blocker);
        assertNothingLeftBehind();
    }

    @Test
    void should_fail_with_a_clear_line_when_the_storage_credentials_are_wrong() {
        db.execute("CREATE TABLE cases (id int PRIMARY KEY)");
        Map<String, String> settings = settings();
        settings.put("dump.s3.secret-key", "a-wrong-secret-never-shown");

        Throwable failure = failedDump(settings);

        assertThat(failure.getMessage()).isEqualTo("access denied by the store (403 SignatureDoesNotMatch) for bucket "
                + bucket + ": check dump.s3.access-key / dump.s3.secret-key and the bucket's policy");
        assertThat(failure.getMessage()).doesNotContain("a-wrong-secret-never-shown");
        assertNothingLeftBehind();
    }

    @Test
    void should_name_the_missing_bucket() {
        Map<String, String> settings = settings();
        settings.put("dump.s3.bucket", "no-such-bucket-here");

        Throwable failure = failedDump(settings);

        assertThat(failure.getMessage()).contains("bucket no-such-bucket-here does not exist");
        assertNothingLeftBehind();
    }

    @Test
    void should_refuse_to_start_with_a_bad_setting_naming_the_key() {
        Map<String, String> settings = settings();
        settings.put("dump.compression", "zip");

        assertThatThrownBy(() -> DumpApplication.start(settings))
                .hasStackTraceContaining("invalid setting dump.compression: expected none or gzip, got 'zip'");
    }
}
