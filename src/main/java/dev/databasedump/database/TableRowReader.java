package dev.databasedump.database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Streams the rows of one {@link TablePiece} (a table, or a key range of one) through a server-side cursor, a page
 * ({@code fetchSize} rows) per round trip, so memory stays flat at any table size. PostgreSQL renders each row itself
 * with {@code to_json}: column order and names, every digit of a numeric, json as json, arrays, ranges, composites are
 * exactly what its clients receive.
 */
public final class TableRowReader {

    private final int fetchSize;

    public TableRowReader(int fetchSize) {
        this.fetchSize = fetchSize;
    }

    /**
     * Sends every row of {@code piece} to {@code sink}, ordered by primary key where there is one; returns the count.
     */
    public long read(Connection connection, TablePiece piece, RowSink sink) throws SQLException, IOException {
        try (PreparedStatement statement = connection.prepareStatement(selectRows(piece), ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY)) {
            int parameter = 1;
            if (piece.fromKey() != null) {
                statement.setLong(parameter++, piece.fromKey());
            }
            if (piece.toKey() != null) {
                statement.setLong(parameter, piece.toKey());
            }
            statement.setFetchSize(fetchSize);
            long rows = 0;
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getBytes(1));
                    rows++;
                }
            }
            return rows;
        }
    }

    // "t.*" and not "t": a column named like the alias would otherwise be rendered instead of the row.
    static String selectRows(TablePiece piece) {
        DumpTable table = piece.table();
        List<String> where = new ArrayList<>();
        if (piece.fromKey() != null) {
            where.add("t." + Identifiers.quote(table.primaryKey().get(0)) + " >= ?");
        }
        if (piece.toKey() != null) {
            where.add("t." + Identifiers.quote(table.primaryKey().get(0)) + " < ?");
        }
        String orderBy = table.primaryKey().isEmpty() ? ""
                : " ORDER BY " + table.primaryKey().stream().map(c -> "t." + Identifiers.quote(c))
                        .collect(Collectors.joining(", "));
        return "SELECT to_json(t.*)::text FROM " + table.qualifiedIdentifier() + " AS t"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + orderBy;
    }
}
