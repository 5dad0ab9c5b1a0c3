package dev.databasedump.restore;

import dev.databasedump.document.RowBatch;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Hands rows to the server the cheapest way there is: their JSON bytes, exactly as the dump holds them, copied in
 * binary COPY format (a length and the bytes: nothing to escape) into a temporary table of one {@code json} column;
 * the server then converts them into the target table in one statement. Never through Java types. Beside each row, in
 * a second column, the json and jsonb columns where it holds JSON null rather than NULL (nearly always none).
 */
final class RowStaging {

    static final String TABLE = "pg_temp.database_dump_rows";
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};

    private final Connection connection;
    private final CopyManager copy;

    private RowStaging(Connection connection, CopyManager copy) {
        this.connection = connection;
        this.copy = copy;
    }

    /** Creates the staging table, gone when the transaction ends. */
    static RowStaging create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMPORARY TABLE database_dump_rows (j json, n json) ON COMMIT DROP");
        }
        return new RowStaging(connection, connection.unwrap(PGConnection.class).getCopyAPI());
    }

    /**
     * Loads a batch of one table's rows into {@code into} (the table, or a tenant import's staging copy of it); returns
     * how many rows it got.
     */
    long load(RowBatch batch, TargetTable table, String into, JsonNullMarks jsonNulls) throws SQLException {
        if (batch.rows() == 0) {
            return 0;
        }
        byte[] copied = binary(batch, jsonNulls.of(batch));
        CopyIn in = copy.copyIn("COPY " + TABLE + " (j, n) FROM STDIN (FORMAT binary)");
        try {
            in.writeToCopy(copied, 0, copied.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        try (Statement statement = connection.createStatement()) {
            long inserted = statement.executeLargeUpdate(table.insertFromStaging(TABLE, into));
            // TRUNCATE, not DELETE: deleted rows would stay in the table until the transaction ends, and be scanned
            // again by every later batch.
            statement.execute("TRUNCATE " + TABLE);
            return inserted;
        }
    }

    // Binary COPY: the header, then per row a field count of 2, the row's length and bytes, and its JSON nulls'
    // (-1: NULL), then the trailer.
    private static byte[] binary(RowBatch batch, String[] jsonNulls) {
        byte[][] marks = new byte[batch.rows()][];
        int marked = 0;
        for (int i = 0; jsonNulls != null && i < batch.rows(); i++) {
            if (jsonNulls[i] != null) {
                marks[i] = jsonNulls[i].getBytes(StandardCharsets.UTF_8);
                marked += marks[i].length;
            }
        }
        byte[] out = new byte[HEADER.length + batch.size() + 10 * batch.rows() + marked + TRAILER.length];
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        int at = HEADER.length;
        byte[] rows = batch.buffer();
        for (int i = 0; i < batch.rows(); i++) {
            int length = batch.end(i) - batch.start(i);
            out[at + 1] = 2;
            at = length(out, at + 2, length);
            System.arraycopy(rows, batch.start(i), out, at, length);
            at += length;
            at = length(out, at, marks[i] == null ? -1 : marks[i].length);
            if (marks[i] != null) {
                System.arraycopy(marks[i], 0, out, at, marks[i].length);
                at += marks[i].length;
            }
        }
        System.arraycopy(TRAILER, 0, out, at, TRAILER.length);
        return out;
    }

    private static int length(byte[] out, int at, int length) {
        out[at] = (byte) (length >>> 24);
        out[at + 1] = (byte) (length >>> 16);
        out[at + 2] = (byte) (length >>> 8);
        out[at + 3] = (byte) length;
        return at + 4;
    }
}
