package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.DumpIntegrationTest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writers move money from a_accounts to z_accounts and log each move in n_transfers, one transaction per move, while
 * the dump reads a_accounts, then a large m_filler, then n_transfers and z_accounts. Only a dump that reads all
 * tables in one snapshot sees the three tables agree: at every parallelism, where the pieces of one table are read on
 * different connections that share the dump's exported snapshot.
 */
class SnapshotConsistencyTest extends DumpIntegrationTest {

    private static final int ACCOUNTS = 100;
    private static final long OPENING_BALANCE = 1000;

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void should_see_a_transaction_committed_during_the_dump_entirely_or_not_at_all(int parallelism) throws Exception {
        db.execute(
                "CREATE TABLE a_accounts (id int PRIMARY KEY, balance bigint)",
                "CREATE TABLE z_accounts (id int PRIMARY KEY, balance bigint)",
                "CREATE TABLE n_transfers (id bigserial PRIMARY KEY, amount int)",
                // No key to cut by: one piece, read on one connection while the others read the rest.
                "CREATE TABLE m_filler (id int, pad text)",
                "INSERT INTO a_accounts SELECT g, " + OPENING_BALANCE + " FROM generate_series(1, " + ACCOUNTS + ") g",
                "INSERT INTO z_accounts SELECT g, " + OPENING_BALANCE + " FROM generate_series(1, " + ACCOUNTS + ") g",
                "INSERT INTO m_filler SELECT g, repeat('x', 200) FROM generate_series(1, 150000) g");
        Map<String, String> settings = settings();
        settings.put("dump.parallelism", String.valueOf(parallelism));
        // The account tables in pieces of 30 rows: at parallelism > 1 each is read on several connections.
        settings.put("dump.piece-rows", "30");

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong commits = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Thread writer = new Thread(() -> transferUntilStopped(running, commits), "writer-" + i);
            writer.start();
            writers.add(writer);
        }
        Dump dump;
        long commitsBefore;
        long commitsAfter;
        try {
            commitsBefore = commits.get();
            dump = dump(settings);
            commitsAfter = commits.get();
        } finally {
            running.set(false);
            for (Thread writer : writers) {
                writer.join();
            }
        }

        assertThat(commitsAfter - commitsBefore).as("transfers committed while the dump ran").isPositive();
        long transfers = dump.table("n_transfers").size();
        assertThat(sum(dump.table("a_accounts"))).isEqualTo(ACCOUNTS * OPENING_BALANCE - transfers);
        assertThat(sum(dump.table("z_accounts"))).isEqualTo(ACCOUNTS * OPENING_BALANCE + transfers);
    }

    private void transferUntilStopped(AtomicBoolean running, AtomicLong commits) {
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement debit = connection.prepareStatement(
                        "UPDATE a_accounts SET balance = balance - 1 WHERE id = ?");
                 PreparedStatement log = connection.prepareStatement("INSERT INTO n_transfers (amount) VALUES (1)");
                 PreparedStatement credit = connection.prepareStatement(
                        "UPDATE z_accounts SET balance = balance + 1 WHERE id = ?")) {
                while (running.get()) {
                    debit.setInt(1, ThreadLocalRandom.current().nextInt(1, ACCOUNTS + 1));
                    debit.executeUpdate();
                    log.executeUpdate();
                    credit.setInt(1, ThreadLocalRandom.current().nextInt(1, ACCOUNTS + 1));
                    credit.executeUpdate();
                    connection.commit();
                    commits.incrementAndGet();
                }
            }
        } catch (Exception e) {
            if (running.get()) {
                throw new IllegalStateException("writer failed: " + e.getMessage(), e);
            }
        }
    }

    private static long sum(JsonNode accounts) {
        long total = 0;
        for (JsonNode account : accounts) {
            total += account.get("balance").asLong();
        }
        return total;
    }
}
