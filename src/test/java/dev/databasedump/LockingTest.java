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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    @ParameterizedTest(name = "analysed first: {0}")
    @ValueSource(booleans = {false, true})
    void should_fail_naming_the_table_when_its_lock_is_not_granted_in_time(boolean analysed) throws Exception {
        db.execute("CREATE TABLE busy (id int PRIMARY KEY)", "INSERT INTO busy SELECT generate_series(1, 1000)");
        if (analysed) {
            // Statistics make a table a candidate for sizing; sizing takes a lock of its own.
            db.execute("ANALYZE busy");
        }
        Map<String, String> settings = settings();
        settings.put("dump.lock-timeout", "500ms");
        settings.put("dump.piece-rows", "10");
        try (Connection holder = db.holdExclusively("busy")) {

            Throwable failure = failedDump(settings);

            assertThat(failure.getMessage()).startsWith("locking table public.busy failed").contains("lock timeout");
            holder.rollback();
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_never_wait_for_a_table_the_filters_leave_out() throws Exception {
        db.execute("CREATE TABLE cases (id int PRIMARY KEY)", "INSERT INTO cases VALUES (1)",
                "CREATE TABLE busy (id int PRIMARY KEY)", "INSERT INTO busy SELECT generate_series(1, 1000)",
                "ANALYZE busy");
        Map<String, String> settings = settings();
        settings.put("dump.exclude-tables", "busy");
        settings.put("dump.lock-timeout", "20s");
        try (Connection holder = db.holdExclusively("busy")) {
            long started = System.nanoTime();

            Dump dump = dump(settings);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time the dump took")
                    .isLessThan(Duration.ofSeconds(10));
            assertThat(dump.data().fieldNames()).toIterable().containsExactly("cases");
            holder.rollback();
        }
    }
}
