package dev.databasedump.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.databasedump.support.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rows as COPY's binary format carries them, on a real server. */
class TableRowReaderTest {

    private TestDatabase db;

    @BeforeEach
    void table() {
        db = TestDatabase.create();
        db.execute("CREATE TABLE notes (id bigint PRIMARY KEY, body text)",
                // Rows from empty to several times any buffer, and text that needs escaping in other COPY formats.
                "INSERT INTO notes SELECT g, repeat(E'tab\\there \\\\ \"quoted\" \\u00e9\\n', g % 400)"
                        + " FROM generate_series(1, 5000) g");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private static TablePiece piece(Long from, Long to) {
        DumpTable notes = new DumpTable("public", "notes", List.of(), List.of("id"), true, 0);
        return new TablePiece(0, notes, 0, 1, from, to, null);
    }

    @Test
    void should_give_each_row_in_key_order_exactly_as_to_json_renders_it() throws Exception {
        List<String> expected = db.strings("SELECT to_json(t.*)::text FROM notes t WHERE id >= 100 AND id < 2100"
                + " ORDER BY id");
        List<String> read = new ArrayList<>();
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);

            long rows = new TableRowReader().read(connection, piece(100L, 2100L),
                    (buffer, offset, length) -> read.add(new String(buffer, offset, length, StandardCharsets.UTF_8)));

            assertThat(rows).isEqualTo(2000);
            connection.rollback();
        }
        assertThat(read).containsExactlyElementsOf(expected);
    }

    @Test
    void should_stop_at_once_when_the_sink_fails_and_end_the_connection_it_cannot_bring_back_in_step()
            throws Exception {
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            long started = System.nanoTime();

            Throwable failure = catchThrowable(() -> new TableRowReader().read(connection, piece(null, null),
                    (buffer, offset, length) -> {
                        seen.write(buffer, offset, length);
                        if (seen.size() > 100_000) {
                            throw new IOException("the spool is full");
                        }
                    }));

            assertThat(failure).isInstanceOf(IOException.class).hasMessage("the spool is full");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            // Never a connection whose next answers belong to the COPY: a pool gets it back closed, and drops it.
            assertThat(connection.isClosed()).isTrue();
        }
        // The backend ends when it finds its client gone, which may take it a moment.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(db.count("SELECT count(*)"
                + " FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY%'"))
                .as("the COPY ended on the server too").isZero());
    }

    @Test
    void should_leave_the_connection_in_step_when_the_server_ends_the_copy_with_an_error() throws Exception {
        db.execute("CREATE TABLE fragile (id int PRIMARY KEY, d int)",
                "INSERT INTO fragile SELECT g, CASE WHEN g = 5000 THEN 0 ELSE 1 END FROM generate_series(1, 9000) g",
                "CREATE VIEW broken AS SELECT id, 1 / d AS q FROM fragile");
        DumpTable broken = new DumpTable("public", "broken", List.of(), List.of("id"), false, 0);
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);

            Throwable failure = catchThrowable(() -> new TableRowReader().read(connection,
                    new TablePiece(0, broken, 0, 1, null, null, null), (buffer, offset, length) -> { }));

            assertThat(failure).hasMessageContaining("division by zero");
            connection.rollback();
            try (Statement statement = connection.createStatement();
                    ResultSet count = statement.executeQuery("SELECT count(*) FROM notes")) {
                assertThat(count.next()).isTrue();
                assertThat(count.getLong(1)).isEqualTo(5000);
            }
        }
    }
}
