package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.http.TestTokens;
import dev.databasedump.support.AdminApi;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.PgBouncer;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Through the connection poolers users really connect through: PgBouncer in session mode, and in transaction mode as
 * Supabase's port 6543 is, where consecutive transactions of one client may run on different server connections and
 * whatever a transaction leaves behind (a lock, a setting, a prepared statement) meets the next client. Dumps,
 * schedules, verify and restore must work there, again and again, and leave the database free for a direct dump.
 */
class ConnectionPoolerTest extends DumpIntegrationTest {

    private static final long PERIOD_MS = 3000;

    @BeforeEach
    void schema() {
        assertThat(PgBouncer.installed()).as("PgBouncer (apt-get install pgbouncer; .ci/run installs it)").isTrue();
        db.sampleSchema();
    }

    @AfterEach
    void noLockLeftBehind() {
        assertThat(db.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"))
                .as("advisory locks left in the database").isZero();
    }

    private Map<String, String> through(PgBouncer pooler) {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("dump.db.url", pooler.url(db));
        settings.put("dump.parallelism", "2");
        // Pieces for both connections: the second one joins the snapshot through the pooler too.
        settings.put("dump.piece-rows", "100");
        return settings;
    }

    @ParameterizedTest(name = "{0} mode")
    @EnumSource(PgBouncer.Mode.class)
    void should_dump_ten_times_in_a_row_through_the_pooler_and_then_directly(PgBouncer.Mode mode) throws Exception {
        try (PgBouncer pooler = PgBouncer.start(mode); AdminApi api = AdminApi.start(through(pooler))) {
            for (int run = 1; run <= 10; run++) {
                HttpResponse<String> dumped = api.call("POST", "/api/database-dump", TestTokens.admin());
                assertThat(dumped.statusCode()).as("dump " + run + ": " + dumped.body()).isEqualTo(200);
            }
        }
        try (AdminApi direct = AdminApi.start(settings())) {
            HttpResponse<String> dumped = direct.call("POST", "/api/database-dump", TestTokens.admin());
            assertThat(dumped.statusCode()).as("the direct dump after them: " + dumped.body()).isEqualTo(200);
        }
        List<String> dumps = dumpKeys();
        assertThat(dumps).hasSize(11);
        JsonNode last = StoredDump.download(s3.client(), bucket, dumps.get(0)).document();
        JsonNode first = StoredDump.download(s3.client(), bucket, dumps.get(10)).document();
        assertThat(first.get("data")).as("a dump through the pooler holds what a direct one does")
                .isEqualTo(last.get("data"));
    }

    @ParameterizedTest(name = "{0} mode")
    @EnumSource(PgBouncer.Mode.class)
    void should_verify_and_restore_through_the_pooler_again_and_again(PgBouncer.Mode mode) throws Exception {
        try (TestDatabase target = TestDatabase.create(); PgBouncer pooler = PgBouncer.start(mode)) {
            target.sampleSchema();
            Map<String, String> settings = through(pooler);
            settings.put("dump.restore.db.url", pooler.url(target));
            settings.put("dump.restore.truncate", "true");
            try (DumpApplication app = DumpApplication.start(settings)) {
                long dumped = StoredDump.EXACT_JSON.readTree(app.dump()).at("/metadata/total_rows").asLong();
                for (int run = 1; run <= 3; run++) {
                    JsonNode report = StoredDump.EXACT_JSON.readTree(app.verify("latest"));
                    assertThat(report.get("ok").asBoolean()).as("verification " + run).isTrue();
                    JsonNode restored = StoredDump.EXACT_JSON.readTree(app.restore("latest"));
                    assertThat(restored.get("rows").asLong()).as("restore " + run).isEqualTo(dumped);
                    assertThat(target.count("SELECT count(*) FROM case_notes"))
                            .isEqualTo(db.count("SELECT count(*) FROM case_notes"));
                }
            }
            assertThat(target.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).isZero();
        }
    }

    @Test
    void should_take_one_dump_per_period_across_two_replicas_through_the_transaction_pooler() throws Exception {
        try (PgBouncer pooler = PgBouncer.start(PgBouncer.Mode.transaction)) {
            Map<String, String> scheduled = through(pooler);
            scheduled.put("dump.timer.enabled", "true");
            scheduled.put("dump.timer.period", PERIOD_MS / 1000 + "s");
            try (DumpApplication first = DumpApplication.start(scheduled);
                 DumpApplication second = DumpApplication.start(scheduled)) {
                await().atMost(Duration.ofSeconds(40)).until(() -> dumpKeys().size() >= 4);
            }
        }
        List<Long> periods = dumpKeys().stream()
                .map(key -> StoredDump.download(s3.client(), bucket, key).document().get("metadata"))
                .map(m -> Instant.parse(m.get("exported_at").asText()).toEpochMilli() / PERIOD_MS).toList();
        assertThat(periods).as("periods of the dumps taken").doesNotHaveDuplicates();
    }

    // Newest first.
    private List<String> dumpKeys() {
        return StoredDump.keys(s3.client(), bucket).stream().filter(k -> !k.endsWith(".sha256"))
                .sorted(java.util.Comparator.reverseOrder()).toList();
    }
}
