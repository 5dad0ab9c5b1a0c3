package dev.databasedump.database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one table's rows through a server-side cursor, a page ({@code fetchSize} rows) per round trip, so memory
 * stays flat at any table size. PostgreSQL renders each row itself with {@code to_json}: column order and names,
 * every digit of a numeric, json as json, arrays, ranges, composites are exactly what its clients receive.
 */
public final class TableRowReader {

    private static final Logger LOG = LoggerFactory.getLogger(TableRowReader.class);
    private static final long PROGRESS_INTERVAL_NANOS = 5_000_000_000L;

    private final int fetchSize;

    public TableRowReader(int fetchSize) {
        this.fetchSize = fetchSize;
    }

    /** Sends every row of {@code table} to {@code sink}, ordered by primary key where there is one; returns the count. */
    public long read(Connection connection, DumpTable table, RowSink sink) throws SQLException, IOException {
        String sql = selectRows(table);
        try (PreparedStatement statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            statement.setFetchSize(fetchSize);
            long rows = 0;
            long started = System.nanoTime();
            long nextProgress = started + PROGRESS_INTERVAL_NANOS;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getString(1));
                    rows++;
                    if ((rows & 0x3FFF) == 0 && System.nanoTime() > nextProgress) {
                        logProgress(table, rows, started);
                        nextProgress = System.nanoTime() + PROGRESS_INTERVAL_NANOS;
                    }
                }
            }
            return rows;
        }
    }

    // "t.*" and not "t": a column named like the alias would otherwise be rendered instead of the row.
    static String selectRows(DumpTable table) {
        String orderBy = table.primaryKey().isEmpty() ? ""
                : " ORDER BY " + table.primaryKey().stream().map(c -> "t." + Identifiers.quote(c))
                        .collect(Collectors.joining(", "));
        return "SELECT to_json(t.*)::text FROM " + table.qualifiedIdentifier() + " AS t" + orderBy;
    }

    private static void logProgress(DumpTable table, long rows, long startedNanos) {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        LOG.info("Exported {} rows of {} so far at {} rows/s", String.format("%,d", rows), table.displayName(),
                String.format("%,.0f", rows / seconds));
    }
}
