package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class LockingTest extends DumpIntegrationTest {

    @Test
    void should_show_as_database_dump_in_pg_stat_activity_and_wait_for_a_held_lock() throws Exception {
        db.execute("CREATE TABLE busy (id int PRIMARY KEY)", "INSERT INTO busy VALUES (1)");
        try (Connection holder = db.connect(); DumpApplication app = DumpApplication.start(settings())) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<String> dump = CompletableFuture.supplyAsync(app::dump);

            await().atMost(Duration.ofSeconds(20)).until(() -> db.dumpSessionsWaitingForALock() == 1);
            assertThat(dump).isNotDone();
            holder.rollback();

            assertThat(dump.get(30, TimeUnit.SECONDS)).contains("\"total_rows\":1");
        }
    }

    @Test
    void should_fail_naming_the_table_when_its_lock_is_not_granted_in_time() throws Exception {
        db.execute("CREATE TABLE busy (id int PRIMARY KEY)");
        Map<String, String> settings = settings();
        settings.put("dump.lock-timeout", "500ms");
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE busy IN ACCESS EXCLUSIVE MODE");
            }

            Throwable failure = failedDump(settings);

            assertThat(failure.getMessage()).contains("locking table public.busy failed").contains("lock timeout");
            holder.rollback();
        }
        assertNothingLeftBehind();
    }
}
