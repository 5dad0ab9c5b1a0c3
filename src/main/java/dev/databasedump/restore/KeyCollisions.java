package dev.databasedump.restore;

import dev.databasedump.database.ColumnSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows an import would insert into one table whose primary or unique key another row of the target holds already
 * (another tenant's, or a shared row under another key): refused, naming the table, the constraint and the first
 * keys. Ids are never remapped: an import is for databases of one lineage.
 */
final class KeyCollisions {

    private static final String UNIQUE_KEYS = """
            SELECT ic.relname,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
              FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indrelid = ? AND i.indisunique AND i.indpred IS NULL AND NOT (0 = ANY (i.indkey))
             ORDER BY i.indisprimary DESC, ic.relname
            """;

    private final Connection connection;
    private final TargetTable table;
    private final String rows;
    private final ImportPlan plan;

    /** @param rows the rows to insert, a relation of the table's columns */
    KeyCollisions(Connection connection, TargetTable table, String rows, ImportPlan plan) {
        this.connection = connection;
        this.table = table;
        this.rows = rows;
        this.plan = plan;
    }

    /** Refuses, per key, the first rows whose key the target holds already; returns whether there were any. */
    boolean refuseColliding() throws SQLException {
        boolean any = false;
        for (String[] key : keys(connection, table)) {
            List<String> columns = Arrays.asList(key).subList(1, key.length);
            List<String> colliding = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT " + ColumnSql.jsonObject("s", columns) + " FROM "
                         + rows + " AS s JOIN " + table.qualified() + " AS t ON "
                         + ColumnSql.equal(columns, "s", columns, "t") + " LIMIT 5")) {
                while (rs.next()) {
                    colliding.add(rs.getString(1));
                }
            }
            if (!colliding.isEmpty()) {
                any = true;
                plan.refuse("rows of " + table.displayName() + " collide on " + key[0] + " with rows of another"
                        + " tenant's already in the target: " + String.join(", ", colliding) + " (ids are not"
                        + " remapped)");
            }
        }
        return any;
    }

    /** Whether a unique key of the table is checked only at commit: such a key cannot arbitrate ON CONFLICT. */
    static boolean anyDeferrable(Connection connection, TargetTable table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT EXISTS (SELECT FROM pg_index"
                + " WHERE indrelid = ? AND indisunique AND NOT indimmediate)")) {
            statement.setLong(1, table.oid());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The table's unique keys, primary first: the index's name, then its columns. */
    static List<String[]> keys(Connection connection, TargetTable table) throws SQLException {
        List<String[]> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(UNIQUE_KEYS)) {
            statement.setLong(1, table.oid());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    List<String> key = new ArrayList<>(List.of(rs.getString(1)));
                    key.addAll(Arrays.asList((String[]) rs.getArray(2).getArray()));
                    keys.add(key.toArray(String[]::new));
                }
            }
        }
        return keys;
    }

    /** The table's unique keys' columns, primary first. */
    static List<List<String>> uniqueKeys(Connection connection, TargetTable table) throws SQLException {
        return keys(connection, table).stream().map(key -> Arrays.asList(key).subList(1, key.length)).toList();
    }
}
