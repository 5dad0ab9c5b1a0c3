package dev.databasedump.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The foreign keys of the catalog that touch some tables, read in one query: each constraint once (a partitioned
 * table's, not its partitions' copies), composite ones with their columns in order. A dump's scope follows them, a
 * restore checks them.
 */
public final class ForeignKeyConstraints {

    private static final String TOUCHING = """
            SELECT c.conname, c.conrelid, c.confrelid,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum),
                   cn.nspname, cc.relname, pn.nspname, pc.relname, c.confmatchtype = 'f'
              FROM pg_constraint c
              JOIN pg_class cc ON cc.oid = c.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
              JOIN pg_class pc ON pc.oid = c.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
             WHERE c.contype = 'f' AND c.conparentid = 0 AND (c.conrelid = ANY (?) OR c.confrelid = ANY (?))
             ORDER BY c.conrelid, c.conname
            """;

    private ForeignKeyConstraints() {
    }

    /**
     * A foreign key: {@code childColumns} of the child table reference {@code parentColumns} of the parent, in order.
     *
     * @param child     the child table, {@code "schema"."table"}
     * @param parent    the parent table, {@code "schema"."table"}
     * @param childName the child table as people write it, {@code schema.table}
     * @param parentName the parent table as people write it
     * @param matchFull MATCH FULL: all the columns are NULL or none is
     */
    public record Constraint(String name, long childOid, long parentOid, List<String> childColumns,
            List<String> parentColumns, String child, String parent, String childName, String parentName,
            boolean matchFull) {
    }

    /** The foreign keys whose child or parent is one of {@code tables} (by oid). */
    public static List<Constraint> touching(Connection connection, Collection<Long> tables) throws SQLException {
        java.sql.Array oids = connection.createArrayOf("oid", tables.toArray());
        List<Constraint> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(TOUCHING)) {
            statement.setArray(1, oids);
            statement.setArray(2, oids);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    keys.add(new Constraint(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            Arrays.asList((String[]) rs.getArray(4).getArray()),
                            Arrays.asList((String[]) rs.getArray(5).getArray()),
                            Identifiers.quote(rs.getString(6)) + "." + Identifiers.quote(rs.getString(7)),
                            Identifiers.quote(rs.getString(8)) + "." + Identifiers.quote(rs.getString(9)),
                            rs.getString(6) + "." + rs.getString(7), rs.getString(8) + "." + rs.getString(9),
                            rs.getBoolean(10)));
                }
            }
        }
        return keys;
    }
}
