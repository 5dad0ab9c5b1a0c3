package dev.databasedump.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A database and a bucket of the test's own, and the application run in-process against them. */
public abstract class DumpIntegrationTest {

    @TempDir
    protected Path tmp;
    protected final S3ProxyServer s3 = S3ProxyServer.get();
    protected TestDatabase db;
    protected String bucket;

    @BeforeEach
    void createDatabaseAndBucket() {
        db = TestDatabase.create();
        bucket = s3.createBucket();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    protected Map<String, String> settings() {
        return DumpApplication.settings(db, bucket, tmp);
    }

    protected Dump dump() {
        return dump(settings());
    }

    protected Dump dump(Map<String, String> settings) {
        try (DumpApplication app = DumpApplication.start(settings)) {
            return Dump.of(app.dump(), s3, bucket);
        }
    }

    /** A dump of {@code tenant}'s data. */
    protected Dump tenantDump(Map<String, String> settings, String tenant) {
        try (DumpApplication app = DumpApplication.start(settings)) {
            return Dump.of(app.dump(tenant), s3, bucket);
        }
    }

    /** Runs a dump that must fail and returns the failure the caller sees. */
    protected Throwable failedDump(Map<String, String> settings) {
        try (DumpApplication app = DumpApplication.start(settings)) {
            Throwable failure = catchThrowable(app::dump);
            assertThat(failure).as("the dump should have failed").isNotNull();
            return failure.getCause() != null ? failure.getCause() : failure;
        }
    }

    /** Nothing of a failed dump may stay behind: no object, no open multipart upload, no temporary file. */
    protected void assertNothingLeftBehind() {
        assertThat(StoredDump.keys(s3.client(), bucket)).as("objects in the bucket").isEmpty();
        assertThat(StoredDump.openMultipartUploads(s3.client(), bucket)).as("open multipart uploads").isZero();
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).as("temporary files").isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A finished dump: the summary the caller got and the object as stored. */
    public record Dump(JsonNode summary, StoredDump stored, JsonNode document) {

        public static Dump of(String summaryJson, S3ProxyServer s3, String bucket) {
            try {
                JsonNode summary = StoredDump.EXACT_JSON.readTree(summaryJson);
                StoredDump stored = StoredDump.download(s3.client(), bucket, summary.get("key").asText());
                return new Dump(summary, stored, stored.document());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public JsonNode metadata() {
            return document.get("metadata");
        }

        public JsonNode data() {
            return document.get("data");
        }

        public JsonNode table(String key) {
            return document.get("data").get(key);
        }

        public String key() {
            return summary.get("key").asText();
        }
    }
}
