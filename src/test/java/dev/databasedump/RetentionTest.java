package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

class RetentionTest extends DumpIntegrationTest {

    private static final List<String> FOREIGN = List.of("dumps/notes.txt", "dumps/full-dump-manual-copy.json",
            "dumps/archive/full-dump-20200101T000000.000Z.json", "other/full-dump-20200101T000000.000Z.json");

    @BeforeEach
    void earlierDumpsAndForeignObjects() {
        db.execute("CREATE TABLE matters (id int PRIMARY KEY)", "INSERT INTO matters VALUES (1)");
        for (String dump : List.of("dumps/full-dump-20200101T000000.000Z.json", "dumps/full-dump-20250101T000000Z.json",
                "dumps/full-dump-20260101T000000.000Z.json.gz")) {
            put(dump);
            put(dump + ".sha256");
        }
        put("dumps/full-dump-20200101T000000.000Z.json.verify.json");
        FOREIGN.forEach(this::put);
    }

    private void put(String key) {
        s3.client().putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromString(key));
    }

    @Test
    void should_keep_the_newest_dumps_with_their_checksums_and_never_touch_other_objects() {
        Map<String, String> settings = settings();
        settings.put("dump.retention.keep-last", "2");

        Dump dump = dump(settings);

        assertThat(StoredDump.keys(s3.client(), bucket)).containsExactlyInAnyOrder(
                dump.key(), dump.key() + ".sha256",
                "dumps/full-dump-20260101T000000.000Z.json.gz", "dumps/full-dump-20260101T000000.000Z.json.gz.sha256",
                FOREIGN.get(0), FOREIGN.get(1), FOREIGN.get(2), FOREIGN.get(3));
    }

    @Test
    void should_delete_dumps_older_than_the_maximum_age_but_never_the_new_one() {
        Map<String, String> settings = settings();
        settings.put("dump.retention.max-age", "30d");

        Dump dump = dump(settings);

        assertThat(StoredDump.keys(s3.client(), bucket)).containsExactlyInAnyOrder(dump.key(), dump.key() + ".sha256",
                FOREIGN.get(0), FOREIGN.get(1), FOREIGN.get(2), FOREIGN.get(3));
    }

    @Test
    void should_keep_everything_when_retention_is_not_configured() {
        Dump dump = dump();

        assertThat(StoredDump.keys(s3.client(), bucket)).hasSize(7 + FOREIGN.size() + 2).contains(dump.key());
    }

    @Test
    void should_report_a_retention_failure_without_failing_the_dump() throws Exception {
        Map<String, String> settings = settings();
        settings.put("dump.retention.keep-last", "1");
        // Listing the bucket for retention fails; storing the dump only checks the bucket with a one-key listing.
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint().getPort(),
                (all, connection, chunk) -> chunk.contains("list-type=2") && !chunk.contains("max-keys=1"));
             CapturedLogs logs = new CapturedLogs()) {
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + proxy.port());

            Dump dump = dump(settings);

            assertThat(dump.summary().get("key").asText()).isEqualTo(dump.key());
            assertThat(logs.text()).contains("Retention failed, old dumps were kept");
        }
        assertThat(StoredDump.keys(s3.client(), bucket)).contains("dumps/full-dump-20200101T000000.000Z.json");
    }
}
