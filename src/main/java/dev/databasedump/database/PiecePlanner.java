package dev.databasedump.database;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the dump into pieces that separate connections can read at once: a large table with a one-column integer
 * primary key becomes key ranges of about {@code pieceRows} rows, every other table is one piece. The bounds come from
 * the key's minimum and maximum inside the snapshot, so every row falls in exactly one range. Runs once the dump holds
 * its tables' locks: sizing a table ({@code pg_relation_size}) takes a lock of its own, which must never be the one a
 * held table makes the dump wait for.
 */
public final class PiecePlanner {

    /** Keys spread far apart with no statistics could otherwise ask for millions of mostly empty ranges. */
    static final int MAX_PIECES_PER_TABLE = 1000;

    private static final String ESTIMATE = """
            SELECT CASE WHEN c.reltuples < 0 OR c.relpages = 0 THEN -1
                        ELSE (c.reltuples / c.relpages
                              * (pg_relation_size(c.oid) / current_setting('block_size')::int))::bigint
                   END
              FROM pg_class c WHERE c.oid = ?
            """;

    private final long pieceRows;

    public PiecePlanner(long pieceRows) {
        this.pieceRows = pieceRows;
    }

    public List<TablePiece> plan(Connection connection, List<DumpTable> tables) throws SQLException {
        List<TablePiece> pieces = new ArrayList<>();
        for (DumpTable table : tables) {
            pieces.addAll(cut(connection, table, pieces.size()));
        }
        return pieces;
    }

    private List<TablePiece> cut(Connection connection, DumpTable table, int position) throws SQLException {
        if (!table.integerKey()) {
            return List.of(TablePiece.whole(position, table));
        }
        long estimatedRows = estimateRows(connection, table);
        if (estimatedRows >= 0 && estimatedRows <= pieceRows) {
            return List.of(TablePiece.whole(position, table));
        }
        String key = "t." + Identifiers.quote(table.primaryKey().get(0));
        long min;
        long max;
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT min(" + key + "), max(" + key + ") FROM "
                     + table.qualifiedIdentifier() + " AS t")) {
            rs.next();
            min = rs.getLong(1);
            if (rs.wasNull()) {
                return List.of(TablePiece.whole(position, table));
            }
            max = rs.getLong(2);
        }
        BigInteger span = BigInteger.valueOf(max).subtract(BigInteger.valueOf(min)).add(BigInteger.ONE);
        // Without statistics (never analysed) the key span stands in for the row count: exact for a dense serial key.
        BigInteger rows = estimatedRows > 0 ? BigInteger.valueOf(estimatedRows) : span;
        BigInteger wanted = rows.add(BigInteger.valueOf(pieceRows - 1)).divide(BigInteger.valueOf(pieceRows));
        int count = wanted.min(span).min(BigInteger.valueOf(MAX_PIECES_PER_TABLE)).intValueExact();
        if (count <= 1) {
            return List.of(TablePiece.whole(position, table));
        }
        BigInteger width = span.add(BigInteger.valueOf(count - 1)).divide(BigInteger.valueOf(count));
        List<TablePiece> pieces = new ArrayList<>(count);
        Long from = null;
        for (int i = 0; i < count; i++) {
            Long to = i == count - 1 ? null
                    : BigInteger.valueOf(min).add(width.multiply(BigInteger.valueOf(i + 1))).longValueExact();
            pieces.add(new TablePiece(position + i, table, i, count, from, to, null));
            from = to;
        }
        return pieces;
    }

    // The planner's way: rows per page at the last ANALYZE times the pages now, so a table that grew since still counts
    // as large. -1 when there are no statistics.
    private static long estimateRows(Connection connection, DumpTable table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(ESTIMATE)) {
            statement.setLong(1, table.oid());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
