package dev.databasedump.database;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Streams the rows of one {@link TablePiece} (a table, or a key range of one) with {@code COPY (SELECT …) TO STDOUT}
 * in binary format, in the piece's transaction and snapshot: the server sends each row as one message, which costs it
 * less than a cursor's pages, and the client takes each row's bytes as they are, with nothing to unescape. Memory stays
 * flat at any table size. PostgreSQL renders each row itself with {@code to_json}: column order and names, every digit
 * of a numeric, json as json, arrays, ranges, composites are exactly what its clients receive.
 */
public final class TableRowReader {

    /**
     * Sends every row of {@code piece} to {@code sink}, ordered by primary key where there is one; returns the count.
     */
    public long read(Connection connection, TablePiece piece, RowSink sink) throws SQLException, IOException {
        CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(copyRows(piece));
        try {
            return new BinaryCopyRows(copy).forEach(sink);
        } finally {
            if (copy.isActive()) {
                // Stopped early (a sink that failed, so the dump fails): pgjdbc cannot cancel a COPY out and keep the
                // connection in step (the server's answer to the cancel is read by the next command, and the next
                // command's by the one after), so the connection ends here; a pool drops a closed connection.
                connection.abort(Runnable::run);
            }
        }
    }

    static String copyRows(TablePiece piece) {
        return "COPY (" + selectRows(piece) + ") TO STDOUT (FORMAT binary)";
    }

    // A second field for a table with json or jsonb columns: which of them hold JSON null in the row (their positions,
    // "0,3"), which to_json writes as it writes NULL; NULL when none does, as in nearly every row. The first token of
    // the value is all json_typeof reads.
    private static String jsonNulls(DumpTable table) {
        if (!table.hasJsonColumns()) {
            return "";
        }
        List<String> tests = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            DumpTable.Column column = table.columns().get(i);
            if (column.json()) {
                String test = column.jsonType() + "_typeof(t." + Identifiers.quote(column.name()) + "::"
                        + column.jsonType() + ") = 'null'";
                tests.add(test);
                named.add("CASE WHEN " + test + " THEN '" + i + "' END");
            }
        }
        return ", CASE WHEN " + String.join(" OR ", tests) + " THEN concat_ws(',', " + String.join(", ", named)
                + ") END";
    }

    // "t.*" and not "t": a column named like the alias would otherwise be rendered instead of the row. COPY takes no
    // parameters: the key bounds are numbers of our own, a filter's literals are quoted where it is made.
    static String selectRows(TablePiece piece) {
        DumpTable table = piece.table();
        List<String> where = new ArrayList<>();
        if (piece.filter() != null) {
            where.add("(" + piece.filter().where() + ")");
        }
        if (piece.fromKey() != null) {
            where.add("t." + Identifiers.quote(table.primaryKey().get(0)) + " >= " + piece.fromKey().longValue());
        }
        if (piece.toKey() != null) {
            where.add("t." + Identifiers.quote(table.primaryKey().get(0)) + " < " + piece.toKey().longValue());
        }
        String orderBy = table.primaryKey().isEmpty() ? ""
                : " ORDER BY " + table.primaryKey().stream().map(c -> "t." + Identifiers.quote(c))
                        .collect(Collectors.joining(", "));
        return (piece.filter() == null || piece.filter().with().isEmpty() ? "" : piece.filter().with() + " ")
                + "SELECT to_json(t.*)::text" + jsonNulls(table) + " FROM " + table.qualifiedIdentifier() + " AS t"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + orderBy;
    }
}
