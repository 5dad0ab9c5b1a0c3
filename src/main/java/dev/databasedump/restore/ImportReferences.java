package dev.databasedump.restore;

import dev.databasedump.database.Identifiers;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The foreign keys a tenant import can have broken, checked only where it can have broken them, so the work follows
 * the tenant and not the size of the tables: every reference of a row it inserted must find its parent, and no row may
 * be left referencing a row it deleted and did not put back (a row of another tenant's, or of a table the import does
 * not restore, that named one of the tenant's rows). In replica mode PostgreSQL checks neither.
 */
final class ImportReferences {

    private static final String FOREIGN_KEYS = """
            SELECT c.conname, c.conrelid, c.confrelid,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum),
                   c.conrelid::regclass::text, c.confrelid::regclass::text
              FROM pg_constraint c
             WHERE c.contype = 'f' AND c.conparentid = 0 AND (c.conrelid = ANY (?) OR c.confrelid = ANY (?))
             ORDER BY c.conrelid, c.conname
            """;

    private final Connection connection;
    private final List<TargetTable> tables;
    private final Map<TargetTable, String> stages;
    private final Map<TargetTable, String> inserted;
    private final Map<TargetTable, String> gone;

    /**
     * @param stages   each restored table's staging copy
     * @param inserted each restored table's inserted rows ({@code tid} in its staging copy)
     * @param gone     each table's deleted rows, as they were
     */
    ImportReferences(Connection connection, List<TargetTable> tables, Map<TargetTable, String> stages,
            Map<TargetTable, String> inserted, Map<TargetTable, String> gone) {
        this.connection = connection;
        this.tables = tables;
        this.stages = stages;
        this.inserted = inserted;
        this.gone = gone;
    }

    /** How many foreign keys were checked; refuses the first that does not hold. */
    int check() throws SQLException, RestoreRefusedException {
        Array oids = connection.createArrayOf("oid", tables.stream().map(TargetTable::oid).toArray());
        int checked = 0;
        try (PreparedStatement keys = connection.prepareStatement(FOREIGN_KEYS)) {
            keys.setArray(1, oids);
            keys.setArray(2, oids);
            try (ResultSet rs = keys.executeQuery(); Statement probe = connection.createStatement()) {
                while (rs.next()) {
                    List<String> from = Arrays.asList((String[]) rs.getArray(4).getArray());
                    List<String> to = Arrays.asList((String[]) rs.getArray(5).getArray());
                    String child = rs.getString(6);
                    String parent = rs.getString(7);
                    Optional<TargetTable> childTable = table(rs.getLong(2));
                    Optional<TargetTable> parentTable = table(rs.getLong(3));
                    checked++;
                    if (childTable.isPresent() && broken(probe, "SELECT EXISTS (SELECT 1 FROM "
                            + stages.get(childTable.get()) + " AS c WHERE c.ctid IN (SELECT tid FROM "
                            + inserted.get(childTable.get()) + ") AND " + notNull(from, "c") + " AND NOT EXISTS"
                            + " (SELECT 1 FROM " + parent + " AS p WHERE " + equal(to, "p", from, "c") + "))")) {
                        throw refusal(rs.getString(1), child, parent, "rows the import inserted reference");
                    }
                    if (parentTable.isPresent() && gone.containsKey(parentTable.get()) && broken(probe,
                            "SELECT EXISTS (SELECT 1 FROM " + gone.get(parentTable.get()) + " AS g WHERE NOT EXISTS"
                            + " (SELECT 1 FROM " + parent + " AS p WHERE " + equal(to, "p", to, "g") + ") AND EXISTS"
                            + " (SELECT 1 FROM " + child + " AS c WHERE " + equal(from, "c", to, "g") + "))")) {
                        throw refusal(rs.getString(1), child, parent, "rows still reference the tenant's deleted"
                                + " rows of");
                    }
                }
            }
        }
        return checked;
    }

    private Optional<TargetTable> table(long oid) {
        return tables.stream().filter(table -> table.oid() == oid).findFirst();
    }

    private static boolean broken(Statement probe, String query) throws SQLException {
        try (ResultSet rs = probe.executeQuery(query)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static RestoreRefusedException refusal(String key, String child, String parent, String what) {
        return new RestoreRefusedException("foreign key " + key + " of " + child + " does not hold: " + what + " "
                + parent + " that are not there");
    }

    private static String notNull(List<String> columns, String alias) {
        return columns.stream().map(c -> alias + "." + Identifiers.quote(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
    }

    private static String equal(List<String> left, String leftAlias, List<String> right, String rightAlias) {
        StringBuilder equal = new StringBuilder();
        for (int i = 0; i < left.size(); i++) {
            equal.append(i == 0 ? "" : " AND ").append(leftAlias).append('.').append(Identifiers.quote(left.get(i)))
                    .append(" = ").append(rightAlias).append('.').append(Identifiers.quote(right.get(i)));
        }
        return equal.toString();
    }
}
