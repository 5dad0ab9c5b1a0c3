package dev.databasedump.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.AdminApi;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replicas of the application on one database and one bucket, on a schedule of seconds. */
class ScheduledDumpsTest extends DumpIntegrationTest {

    private static final long PERIOD_MS = 3000;

    @BeforeEach
    void table() {
        db.execute("CREATE TABLE matters (id int PRIMARY KEY)", "INSERT INTO matters VALUES (1), (2)");
    }

    private Map<String, String> scheduled() {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("dump.timer.enabled", "true");
        settings.put("dump.timer.period", PERIOD_MS / 1000 + "s");
        return settings;
    }

    private List<String> dumps() {
        return StoredDump.keys(s3.client(), bucket).stream().filter(k -> !k.endsWith(".sha256")).toList();
    }

    @Test
    void should_take_one_dump_per_period_however_many_replicas_run() throws Exception {
        List<JsonNode> metadata;
        try (CapturedLogs logs = new CapturedLogs();
             DumpApplication first = DumpApplication.start(scheduled());
             DumpApplication second = DumpApplication.start(scheduled())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> dumps().size() >= 3);
            assertThat(logs.text()).contains("another replica is taking it").contains("Next scheduled dump at");
        }
        metadata = dumps().stream()
                .map(key -> StoredDump.download(s3.client(), bucket, key).document().get("metadata")).toList();

        assertThat(metadata).extracting(m -> Instant.parse(m.get("exported_at").asText()).toEpochMilli() / PERIOD_MS)
                .as("periods of the dumps taken").doesNotHaveDuplicates();
        assertThat(metadata).extracting(m -> m.get("triggered_by").asText()).containsOnly("schedule");
    }

    @Test
    void should_refuse_an_http_dump_on_one_replica_while_a_scheduled_one_runs_on_another() throws Exception {
        try (Connection holder = db.connect();
             DumpApplication scheduler = DumpApplication.start(scheduled());
             AdminApi api = AdminApi.start(settings())) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE matters IN ACCESS EXCLUSIVE MODE");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> db.dumpSessionsWaitingForALock() == 1);

            HttpResponse<String> refused = api.call("POST", "/api/database-dump",
                    dev.databasedump.http.TestTokens.admin());
            holder.rollback();

            assertThat(refused.statusCode()).isEqualTo(409);
            await().atMost(Duration.ofSeconds(20)).until(() -> dumps().size() == 1);
        }
    }
}
