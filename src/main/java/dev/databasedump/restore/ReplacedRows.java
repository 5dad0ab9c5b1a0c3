package dev.databasedump.restore;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.Identifiers;
import dev.databasedump.database.RowFilter;
import dev.databasedump.scope.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tenant's rows a {@code replace} takes out of the target. They are found first, all of them, before anything is
 * deleted (a cycle's rows are found through rows a delete would take away), each copied into a temporary table with
 * its position in the table (its relation, a partition's for a partitioned table, and its place there). A row the dump holds exactly as the target does is then left where it is and taken out
 * of the insert: recovering a tenant from last night's dump rewrites what changed since, not every row it has.
 */
final class ReplacedRows {

    private static final String TID = PlannedInsert.TID;
    /** Column of the found rows: the relation each lies in. A partitioned table's rows are its partitions'. */
    private static final String REL = "database_dump_rel";

    private final ImportPlan plan;
    private final Map<TargetTable, String> gone = new LinkedHashMap<>();

    ReplacedRows(ImportPlan plan) {
        this.plan = plan;
    }

    /** Finds the tenant's rows in every table, as the scope's rules over the target's rows say. */
    void find(Connection connection, Map<TargetTable, DumpTable> tables, TenantScope scope) throws SQLException {
        int n = 0;
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<TargetTable, DumpTable> table : tables.entrySet()) {
                if (!scope.owns(table.getValue())) {
                    continue;
                }
                String name = "database_dump_gone_" + n++;
                RowFilter own = scope.owned(table.getValue());
                statement.execute("CREATE TEMPORARY TABLE " + name + " ON COMMIT DROP AS " + own.with()
                        + " SELECT t.tableoid AS " + REL + ", t.ctid AS " + TID + ", t.* FROM "
                        + table.getKey().qualified() + " AS t WHERE "
                        + own.where());
                statement.execute("ANALYZE " + name);
                gone.put(table.getKey(), "pg_temp." + name);
            }
        }
    }

    /**
     * Leaves in place the rows of the tenant's that {@code planned} (per table, the rows to insert; updated here)
     * holds unchanged, matched by primary key (else the first unique key) and compared on every column, then
     * deletes the rest. A table the dump lacks a column of is replaced whole: its inserted rows take the target's
     * defaults.
     */
    void deleteChanged(Connection connection, Map<TargetTable, String> planned) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            int n = 0;
            for (Map.Entry<TargetTable, String> table : gone.entrySet()) {
                String rows = planned.get(table.getKey());
                if (rows != null && !dumpLacksColumns(connection, table.getKey())) {
                    setAsideUnchanged(connection, statement, table, rows, n++).ifPresent(fresh ->
                            planned.put(table.getKey(), fresh));
                }
            }
            for (Map.Entry<TargetTable, String> table : gone.entrySet()) {
                // By partition and position: positions repeat from one partition to the next, so a position alone
                // would delete another tenant's row of another partition.
                int deleted = statement.executeUpdate("DELETE FROM " + table.getKey().qualified()
                        + " WHERE (tableoid, ctid) IN (SELECT " + REL + ", " + TID + " FROM " + table.getValue() + ")");
                plan.deleted(table.getKey().dumpKey(), deleted);
            }
        }
    }

    /** Per table, the rows deleted, as they were. */
    Map<TargetTable, String> deleted() {
        return gone;
    }

    // Two new temporary tables out of the found and the planned rows, each without the rows the other holds alike:
    // anti-joins hashed on the key, where deleting from a temporary table would write each row again. Returns the
    // planned rows left to insert.
    private Optional<String> setAsideUnchanged(Connection connection, Statement statement,
            Map.Entry<TargetTable, String> found, String rows, int n) throws SQLException {
        TargetTable table = found.getKey();
        List<String> key = KeyCollisions.uniqueKeys(connection, table).stream().findFirst().orElse(List.of());
        if (key.isEmpty()) {
            return Optional.empty();
        }
        List<String> columns = table.columns().stream().filter(column -> !column.generated())
                .map(column -> Identifiers.quote(column.name())).toList();
        String same = key.stream().map(c -> "g." + Identifiers.quote(c) + " = i." + Identifiers.quote(c))
                .collect(Collectors.joining(" AND ")) + " AND " + sameRow(columns);
        String changed = "database_dump_changed_" + n;
        String fresh = "database_dump_fresh_" + n;
        statement.execute("CREATE TEMPORARY TABLE " + changed + " ON COMMIT DROP AS SELECT g.* FROM "
                + found.getValue() + " AS g WHERE NOT EXISTS (SELECT FROM " + rows + " AS i WHERE i."
                + PlannedInsert.OWN + " AND " + same + ")");
        statement.execute("CREATE TEMPORARY TABLE " + fresh + " ON COMMIT DROP AS SELECT i.* FROM " + rows
                + " AS i WHERE NOT i." + PlannedInsert.OWN + " UNION ALL SELECT i.* FROM " + rows + " AS i WHERE i."
                + PlannedInsert.OWN + " AND NOT EXISTS (SELECT FROM " + found.getValue() + " AS g WHERE " + same
                + ")");
        statement.execute("ANALYZE " + changed);
        statement.execute("ANALYZE " + fresh);
        plan.unchanged(table.dumpKey(), PlannedInsert.count(statement, rows)
                - PlannedInsert.count(statement, "pg_temp." + fresh));
        found.setValue("pg_temp." + changed);
        return Optional.of("pg_temp." + fresh);
    }

    // A row's columns as a record, compared by the bytes each value is stored as (the *= operator of materialized
    // views' refresh): NULL equals NULL, 1.50 differs from 1.5, and it is defined for every type (json, point and xml
    // have no equality). Equal exactly when an insert would write the row again as it is; and no value is printed.
    private static String sameRow(List<String> columns) {
        return "record_image_eq(" + row("g", columns) + ", " + row("i", columns) + ")";
    }

    private static String row(String alias, List<String> columns) {
        return "ROW(" + columns.stream().map(c -> alias + "." + c).collect(Collectors.joining(", ")) + ")";
    }

    private static boolean dumpLacksColumns(Connection connection, TargetTable table) throws SQLException {
        long dumped = table.columns().stream().filter(column -> !column.generated()).count();
        try (PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM pg_attribute WHERE"
                + " attrelid = ? AND attnum > 0 AND NOT attisdropped AND attgenerated = ''")) {
            statement.setLong(1, table.oid());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1) > dumped;
            }
        }
    }
}
