package dev.databasedump.restore;

import dev.databasedump.database.Identifiers;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the target's triggers and foreign-key checks off the restored rows: tables arrive in the dump's order, not the
 * order their foreign keys need, and an audit trigger would write a second copy of the audit rows, an
 * {@code updated_at} trigger overwrite restored values. Where the role may, {@code session_replication_role = replica}
 * for the transaction (a superuser; on PostgreSQL 15+ a role granted SET on that parameter; Supabase's postgres).
 * Otherwise what a table owner may do, inside the same transaction: its enabled user triggers disabled by name, and
 * its foreign keys made deferred, checked together at the end, then put back as they were. A role that may do
 * neither is refused before anything is written. Every foreign key is also checked after loading (see
 * {@link ForeignKeyCheck}).
 */
final class TriggerGuard {

    private static final String TRIGGERS = """
            SELECT t.tgrelid, t.tgname, t.tgenabled FROM pg_trigger t
             WHERE t.tgrelid = ANY (?) AND NOT t.tgisinternal AND t.tgenabled <> 'D' AND t.tgparentid = 0
             ORDER BY t.tgrelid, t.tgname
            """;
    private static final String FOREIGN_KEYS = """
            SELECT c.conrelid, c.conname, c.condeferrable, c.condeferred FROM pg_constraint c
             WHERE c.contype = 'f' AND c.conrelid = ANY (?) AND c.conparentid = 0
             ORDER BY c.conrelid, c.conname
            """;

    private final Connection connection;
    private final boolean replica;
    private final List<String> putBack = new ArrayList<>();

    private TriggerGuard(Connection connection, boolean replica) {
        this.connection = connection;
        this.replica = replica;
    }

    /** Turns triggers and foreign-key checks off for {@code tables}, as the role may. */
    static TriggerGuard quiet(Connection connection, List<TargetTable> tables, String role)
            throws SQLException, RestoreRefusedException {
        if (replicaMode(connection)) {
            return new TriggerGuard(connection, true);
        }
        TriggerGuard guard = new TriggerGuard(connection, false);
        guard.asOwner(tables, role);
        return guard;
    }

    /** "replica" or "owner": how this restore keeps triggers off, for its summary. */
    String mode() {
        return replica ? "replica" : "owner";
    }

    /**
     * Before commit: the deferred foreign-key checks run now (a failure names its constraint), and triggers and
     * constraints are put back as they were.
     */
    void restore() throws SQLException {
        if (replica) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET CONSTRAINTS ALL IMMEDIATE");
            for (String sql : putBack) {
                statement.execute(sql);
            }
        }
    }

    // Tried in a savepoint: a refused SET would otherwise end the whole transaction.
    private static boolean replicaMode(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SAVEPOINT database_dump_replica");
            try {
                statement.execute("SET LOCAL session_replication_role = replica");
                statement.execute("RELEASE SAVEPOINT database_dump_replica");
                return true;
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) {
                    throw e;
                }
                statement.execute("ROLLBACK TO SAVEPOINT database_dump_replica");
                return false;
            }
        }
    }

    private void asOwner(List<TargetTable> tables, String role) throws SQLException, RestoreRefusedException {
        Array oids = connection.createArrayOf("oid", tables.stream().map(TargetTable::oid).toArray());
        List<String> off = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(TRIGGERS)) {
            statement.setArray(1, oids);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String table = name(tables, rs.getLong(1));
                    String trigger = Identifiers.quote(rs.getString(2));
                    off.add("ALTER TABLE " + table + " DISABLE TRIGGER " + trigger);
                    putBack.add("ALTER TABLE " + table + " ENABLE " + switch (rs.getString(3)) {
                        case "A" -> "ALWAYS ";
                        case "R" -> "REPLICA ";
                        default -> "";
                    } + "TRIGGER " + trigger);
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement(FOREIGN_KEYS)) {
            statement.setArray(1, oids);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    if (!rs.getBoolean(3)) {
                        String constraint = "ALTER TABLE " + name(tables, rs.getLong(1)) + " ALTER CONSTRAINT "
                                + Identifiers.quote(rs.getString(2));
                        off.add(constraint + " DEFERRABLE INITIALLY DEFERRED");
                        putBack.add(constraint + " NOT DEFERRABLE INITIALLY IMMEDIATE");
                    }
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SAVEPOINT database_dump_owner");
            try {
                for (String sql : off) {
                    statement.execute(sql);
                }
                statement.execute("SET CONSTRAINTS ALL DEFERRED");
                statement.execute("RELEASE SAVEPOINT database_dump_owner");
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) {
                    throw e;
                }
                throw new RestoreRefusedException("role " + role + " may neither set session_replication_role ="
                        + " replica (a superuser may, or a role granted SET ON PARAMETER session_replication_role"
                        + " on PostgreSQL 15+) nor, owning the tables, disable their triggers and defer their"
                        + " foreign keys: " + firstLine(e.getMessage()));
            }
        }
    }

    private static String name(List<TargetTable> tables, long oid) {
        return tables.stream().filter(table -> table.oid() == oid).findFirst().orElseThrow().qualified();
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
