package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tenants a round dumps, read in its snapshot: the rows of the tenant table ({@code dump.tenant.table}, its key as
 * the database writes it), or, without one, every distinct value of the tenant column in the tables that have it,
 * found by skipping through the column's index from one value to the next (a loose index scan: one index probe per
 * tenant, never a read of the whole table; a table without such an index is read once with {@code DISTINCT}), or the
 * rows of {@code dump.tenant.schedule.tenants-query}, its first column.
 */
public final class TenantList {

    private TenantList() {
    }

    /**
     * The tenants, each once, in the order found.
     *
     * @param query the platform's own query for the list, if it has one
     * @return the ids, and whether the database wrote them (not the query), so no cast need check them
     */
    public static Listed read(Connection connection, ScopePlan plan, Optional<String> query) throws SQLException {
        Set<String> ids = new LinkedHashSet<>();
        if (query.isPresent()) {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(query.get())) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    if (id != null) {
                        ids.add(id);
                    }
                }
            }
            return new Listed(List.copyOf(ids), false);
        }
        if (plan.tenantTable != null) {
            String key = Identifiers.quote(plan.tenantTable.primaryKey().get(0));
            collect(connection, "SELECT " + key + "::text FROM " + plan.tenantTable.qualifiedIdentifier()
                    + " ORDER BY " + key, ids);
            return new Listed(List.copyOf(ids), true);
        }
        for (DumpTable table : tablesWithTheColumn(plan)) {
            String column = Identifiers.quote(plan.column);
            String relation = table.qualifiedIdentifier();
            collect(connection, indexed(connection, table, plan.column) ? """
                    WITH RECURSIVE ids(v) AS (
                        (SELECT %1$s FROM %2$s WHERE %1$s IS NOT NULL ORDER BY %1$s LIMIT 1)
                        UNION ALL
                        SELECT (SELECT %1$s FROM %2$s WHERE %1$s > ids.v ORDER BY %1$s LIMIT 1)
                          FROM ids WHERE ids.v IS NOT NULL)
                    SELECT v::text FROM ids WHERE v IS NOT NULL
                    """.formatted(column, relation)
                    : "SELECT DISTINCT " + column + "::text FROM " + relation + " WHERE " + column + " IS NOT NULL",
                    ids);
        }
        return new Listed(List.copyOf(ids), true);
    }

    private static List<DumpTable> tablesWithTheColumn(ScopePlan plan) {
        List<DumpTable> with = new ArrayList<>();
        for (DumpTable table : plan.tables) {
            if (table.hasColumn(plan.column)) {
                with.add(table);
            }
        }
        return with;
    }

    // An index (a partitioned table's own included) whose first column is the tenant column.
    private static boolean indexed(Connection connection, DumpTable table, String column) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_index i JOIN"
                + " pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = ? AND"
                + " a.attname = ? AND i.indpred IS NULL)")) {
            statement.setLong(1, table.oid());
            statement.setString(2, column);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void collect(Connection connection, String sql, Set<String> ids) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
    }

    /**
     * @param ids       the tenants, each once
     * @param byDatabase whether the database wrote them (a tenant table's keys, a tenant column's values)
     */
    public record Listed(List<String> ids, boolean byDatabase) {
    }
}
