package dev.databasedump.restore;

import dev.databasedump.database.ColumnSql;
import dev.databasedump.database.DumpTable;
import dev.databasedump.database.Identifiers;
import dev.databasedump.settings.TenantImportSettings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shared rows of one table an import would insert (rows in the tenant's scope that are not its own: a lookup, a
 * user its rows name) set against the target's: one the target holds with the same content is kept as it is; one it
 * holds with other content is refused (or, with {@code dump.restore.shared-rows=keep-target}, kept as the target has
 * it); one it lacks stays to be inserted. Rows are matched by the table's primary key (else its first unique key) and
 * compared on the columns the dump has.
 */
final class SharedRows {

    private final Connection connection;
    private final TargetTable table;
    private final DumpTable catalogued;
    private final String rows;
    private final TenantImportSettings settings;
    private final ImportPlan plan;

    /** @param rows the temporary table of the rows to insert ({@link PlannedInsert}), pared down here */
    SharedRows(Connection connection, TargetTable table, DumpTable catalogued, String rows,
            TenantImportSettings settings, ImportPlan plan) {
        this.connection = connection;
        this.table = table;
        this.catalogued = catalogued;
        this.rows = rows;
        this.settings = settings;
        this.plan = plan;
    }

    void sortOut() throws SQLException {
        List<String> key = catalogued.primaryKey().isEmpty() ? KeyCollisions.uniqueKeys(connection, table).stream()
                .findFirst().orElse(List.of()) : catalogued.primaryKey();
        if (key.isEmpty()) {
            return;
        }
        String matched = " FROM " + rows + " AS s, " + table.qualified() + " AS t WHERE "
                + ColumnSql.equal(key, "s", key, "t") + " AND NOT s." + PlannedInsert.OWN;
        String ignored = ignored();
        String same = "(to_jsonb(t.*) - " + ignored + ") = (to_jsonb(s.*) - " + ignored + " - '" + PlannedInsert.TID
                + "' - '" + PlannedInsert.OWN + "')";
        String delete = "DELETE FROM " + rows + " AS d WHERE d." + PlannedInsert.TID + " IN (SELECT s."
                + PlannedInsert.TID + matched;
        try (Statement statement = connection.createStatement()) {
            plan.kept(table.dumpKey(), statement.executeUpdate(delete + " AND " + same + ")"));
            if (settings.sharedRows() == TenantImportSettings.SharedRows.KEEP_TARGET) {
                plan.kept(table.dumpKey(), statement.executeUpdate(delete + ")"));
                return;
            }
            try (ResultSet rs = statement.executeQuery("SELECT " + ColumnSql.jsonObject("s", key) + matched
                    + " LIMIT 5")) {
                List<String> differing = new ArrayList<>();
                while (rs.next()) {
                    differing.add(rs.getString(1));
                }
                if (!differing.isEmpty()) {
                    plan.refuse("the target holds shared row" + (differing.size() == 1 ? " " : "s ")
                            + String.join(", ", differing) + " of " + table.displayName() + " with other content than"
                            + " the dump's (set dump.restore.shared-rows=keep-target to keep the target's)");
                }
            }
            // Refused: not to be inserted (nor counted again as colliding keys).
            statement.executeUpdate(delete + ")");
        }
    }

    // The target's columns the comparison leaves out: those the dump does not have, and generated ones.
    private String ignored() throws SQLException {
        List<String> compared = table.columns().stream().filter(c -> !c.generated()).map(TargetTable.TargetColumn::name)
                .toList();
        List<String> all = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT attname FROM pg_attribute"
                + " WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped")) {
            statement.setLong(1, table.oid());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    all.add(rs.getString(1));
                }
            }
        }
        all.removeAll(compared);
        return "ARRAY[" + all.stream().map(Identifiers::literal).collect(Collectors.joining(", ")) + "]::text[]";
    }
}
