package dev.databasedump.restore;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Inserts the rows a tenant import planned for one table (a temporary table of them, beside the table's columns
 * {@link #TID} and {@link #OWN}). A row whose primary or unique key the target already holds (another tenant's, or a
 * shared row under another key) is refused, never overwritten: the insert skips conflicts, and when it inserted fewer
 * rows than planned it is undone and {@link KeyCollisions} names the first colliding keys. Skipping costs the insert
 * one index probe per row, where a search for collisions beforehand would read the table's whole key.
 */
final class PlannedInsert {

    /** Column of the planned rows: the row's position in its staging copy. */
    static final String TID = "database_dump_tid";
    /** Column of the planned rows: whether the row is the tenant's own (else a shared row its rows name). */
    static final String OWN = "database_dump_own";

    private final Connection connection;
    private final TargetTable table;
    private final String rows;
    private final ImportPlan plan;

    PlannedInsert(Connection connection, TargetTable table, String rows, ImportPlan plan) {
        this.connection = connection;
        this.table = table;
        this.rows = rows;
        this.plan = plan;
    }

    void run() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (KeyCollisions.anyDeferrable(connection, table)) {
                // A deferrable key is no arbiter for ON CONFLICT: look for collisions first, then insert.
                if (!new KeyCollisions(connection, table, rows, plan).refuseColliding()) {
                    plan.inserted(table.dumpKey(), statement.executeLargeUpdate(table.insertFrom(rows)));
                }
                return;
            }
            long planned = count(statement, rows);
            statement.execute("SAVEPOINT database_dump_insert");
            long inserted = statement.executeLargeUpdate(table.insertFrom(rows) + " ON CONFLICT DO NOTHING");
            if (inserted == planned) {
                statement.execute("RELEASE SAVEPOINT database_dump_insert");
                plan.inserted(table.dumpKey(), inserted);
                return;
            }
            statement.execute("ROLLBACK TO SAVEPOINT database_dump_insert");
            statement.execute("RELEASE SAVEPOINT database_dump_insert");
            if (!new KeyCollisions(connection, table, rows, plan).refuseColliding()) {
                plan.refuse("rows of " + table.displayName() + " in the dump collide with each other on a primary or"
                        + " unique key of the target's (" + (planned - inserted) + " of them)");
            }
        }
    }

    /** How many rows {@code rows} (a table or other relation) holds. */
    static long count(Statement statement, String rows) throws SQLException {
        try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + rows)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
