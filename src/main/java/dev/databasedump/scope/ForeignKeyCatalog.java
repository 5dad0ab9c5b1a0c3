package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the foreign keys between the tables of a dump from the catalog, inside its snapshot: each constraint once
 * (a partitioned table's, not its partitions' copies), composite ones with their columns in order. Keys to tables the
 * dump leaves out (another schema, a filter) are not among them: nothing of those tables can be in the document.
 */
public final class ForeignKeyCatalog {

    private static final String FOREIGN_KEYS = """
            SELECT c.conname, c.conrelid, c.confrelid,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum)
              FROM pg_constraint c
             WHERE c.contype = 'f' AND c.conparentid = 0 AND c.conrelid = ANY (?) AND c.confrelid = ANY (?)
             ORDER BY c.conrelid, c.conname
            """;

    private ForeignKeyCatalog() {
    }

    public static List<ForeignKey> among(Connection connection, List<DumpTable> tables) throws SQLException {
        Map<Long, DumpTable> byOid = tables.stream().collect(Collectors.toMap(DumpTable::oid, Function.identity()));
        java.sql.Array oids = connection.createArrayOf("oid", byOid.keySet().toArray());
        List<ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(FOREIGN_KEYS)) {
            statement.setArray(1, oids);
            statement.setArray(2, oids);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    keys.add(new ForeignKey(rs.getString(1), byOid.get(rs.getLong(2)),
                            Arrays.asList((String[]) rs.getArray(4).getArray()), byOid.get(rs.getLong(3)),
                            Arrays.asList((String[]) rs.getArray(5).getArray())));
                }
            }
        }
        return keys;
    }
}
