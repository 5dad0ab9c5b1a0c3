package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.document.StoredForm;
import dev.databasedump.settings.Compression;
import dev.databasedump.storage.DumpKeys;
import dev.databasedump.storage.DumpSpace;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

class StorageTest extends DumpIntegrationTest {

    @BeforeEach
    void oneTable() {
        db.execute("CREATE TABLE cases (id int PRIMARY KEY, title text)",
                "INSERT INTO cases SELECT g, 'case ' || g FROM generate_series(1, 50) g");
    }

    @Test
    void should_store_the_dump_under_a_utc_timestamp_key_as_json() {
        Dump dump = dump();

        assertThat(dump.key()).matches("dumps/full-dump-\\d{8}T\\d{6}(\\.\\d{3})?Z\\.json");
        assertThat(dump.stored().contentType()).startsWith("application/json");
        assertThat(StoredDump.keys(s3.client(), bucket)).containsExactly(dump.key(), dump.key() + ".sha256");
    }

    @Test
    void should_name_the_key_after_the_same_instant_as_the_metadatas_exported_at() {
        Dump dump = dump();

        String stamp = dump.key().substring("dumps/full-dump-".length(), dump.key().length() - ".json".length());
        assertThat(DumpKeys.timestampOf(stamp)).isEqualTo(Instant.parse(dump.metadata().get("exported_at").asText()));
    }

    @Test
    void should_store_a_sha256sum_file_that_matches_the_stored_bytes() {
        Dump dump = dump();

        String checksumFile = StoredDump.text(s3.client(), bucket, dump.key() + ".sha256");
        String fileName = dump.key().substring("dumps/".length());
        assertThat(checksumFile).isEqualTo(dump.stored().sha256() + "  " + fileName + "\n");
        assertThat(dump.summary().get("sha256").asText()).isEqualTo(dump.stored().sha256());
    }

    @Test
    void should_keep_both_of_two_dumps_taken_back_to_back() {
        Map<String, String> settings = settings();
        Dump first = dump(settings);
        Dump second = dump(settings);

        assertThat(first.key()).isNotEqualTo(second.key());
        assertThat(StoredDump.keys(s3.client(), bucket)).hasSize(4);
    }

    @Test
    void should_move_to_the_next_free_key_when_another_dump_holds_the_same_instant() {
        Instant frozen = Instant.parse("2026-02-16T20:30:00.123Z");
        DumpKeys keys = new DumpKeys(s3.client(), bucket);
        DumpSpace full = DumpSpace.full("dumps/");
        String first = keys.allocate(full, new StoredForm(Compression.NONE, false), frozen).key();
        s3.client().putObject(PutObjectRequest.builder().bucket(bucket).key(first).build(),
                RequestBody.fromString("earlier dump"));

        String second = keys.allocate(full, new StoredForm(Compression.NONE, false), frozen).key();

        assertThat(first).isEqualTo("dumps/full-dump-20260216T203000.123Z.json");
        assertThat(second).isEqualTo("dumps/full-dump-20260216T203000.124Z.json");
        assertThat(StoredDump.text(s3.client(), bucket, first)).isEqualTo("earlier dump");
    }

    @Test
    void should_store_gzip_dumps_as_json_gz() {
        Map<String, String> settings = settings();
        settings.put("dump.compression", "gzip");

        Dump dump = dump(settings);

        assertThat(dump.key()).endsWith(".json.gz");
        assertThat(dump.stored().contentType()).startsWith("application/gzip");
        assertThat(dump.stored().storedBytes()[0] & 0xff).isEqualTo(0x1f);
        assertThat(dump.table("cases")).hasSize(50);
        assertThat(dump.summary().get("sha256").asText()).isEqualTo(dump.stored().sha256());
        assertThat(StoredDump.text(s3.client(), bucket, dump.key() + ".sha256")).startsWith(dump.stored().sha256());
    }

    @Test
    void should_store_under_the_configured_prefix() {
        Map<String, String> settings = settings();
        settings.put("dump.s3.prefix", "exports/nightly");

        Dump dump = dump(settings);

        assertThat(dump.key()).startsWith("exports/nightly/full-dump-");
    }

    @Test
    void should_ignore_caller_headers_that_name_another_key_or_bucket() {
        String otherBucket = s3.createBucket();
        try (var app = dev.databasedump.support.DumpApplication.start(settings())) {
            String summary = app.context().createProducerTemplate().requestBodyAndHeaders("direct:database-dump", null,
                    Map.of("CamelAwsS3Key", "hijacked.json", "CamelAwsS3BucketName", otherBucket), String.class);
            assertThat(summary).doesNotContain("hijacked");
        }

        assertThat(StoredDump.keys(s3.client(), bucket)).hasSize(2).noneMatch(key -> key.contains("hijacked"));
        assertThat(StoredDump.keys(s3.client(), otherBucket)).isEmpty();
    }
}
