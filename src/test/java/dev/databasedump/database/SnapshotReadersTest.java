package dev.databasedump.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.databasedump.support.TestDatabase;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The connections of one dump's snapshot, ended while pieces may still be reading on them. */
class SnapshotReadersTest {

    private TestDatabase db;
    private PGSimpleDataSource dataSource;
    // Threads of their own: the pieces block, and the common pool may have a single thread.
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void table() {
        db = TestDatabase.create();
        db.execute("CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
                "INSERT INTO notes SELECT g, repeat('x', 100) FROM generate_series(1, 20000) g");
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.url());
        dataSource.setUser(db.adminUser());
        dataSource.setApplicationName("database-dump");
    }

    @AfterEach
    void drop() {
        threads.shutdownNow();
        db.close();
    }

    private static TablePiece wholeTable() {
        return new TablePiece(0, new DumpTable("public", "notes", List.of(), List.of("id"), true, 0), 0, 1, null, null, null);
    }

    /** Starts a piece whose sink waits at its first row until {@code release}; counts down {@code reading} there. */
    private CompletableFuture<Long> pieceHeldAtItsFirstRow(SnapshotReaders readers, CountDownLatch reading,
            CountDownLatch release) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return readers.read(connection -> new TableRowReader().read(connection, wholeTable(),
                        (row, offset, length) -> {
                            reading.countDown();
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    @Test
    void should_end_at_once_while_a_piece_is_still_reading_and_make_that_piece_fail() throws Exception {
        SnapshotReaders readers = new SnapshotReaders(SnapshotSession.open(dataSource, Duration.ofSeconds(5)));
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A piece in the middle of its COPY, as when another piece failed and the dump is being cleaned up: its
        // thread has not yet seen the failure.
        CompletableFuture<Long> piece = pieceHeldAtItsFirstRow(readers, reading, release);
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(readers::close, threads);

        // A rollback from here would wait for the COPY's hold on the connection, for ever once the piece cuts it.
        closing.get(10, TimeUnit.SECONDS);
        release.countDown();
        assertThat(piece).failsWithin(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> db.dumpSessions() == 0);
    }

    @Test
    void should_fail_a_piece_waiting_for_a_connection_when_the_snapshot_ends_instead_of_leaving_it_waiting()
            throws Exception {
        SnapshotReaders readers = new SnapshotReaders(SnapshotSession.open(dataSource, Duration.ofSeconds(5)));
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Long> first = pieceHeldAtItsFirstRow(readers, reading, release);
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        // The one connection is busy: this piece waits for it.
        CompletableFuture<Long> waiting = pieceHeldAtItsFirstRow(readers, new CountDownLatch(1), release);

        CompletableFuture.runAsync(readers::close, threads).get(10, TimeUnit.SECONDS);
        release.countDown();

        assertThat(first).failsWithin(Duration.ofSeconds(10));
        assertThat(waiting).failsWithin(Duration.ofSeconds(10)).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("the snapshot has ended");
    }
}
