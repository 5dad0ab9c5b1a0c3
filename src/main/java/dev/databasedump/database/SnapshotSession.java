package dev.databasedump.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One read-only REPEATABLE READ transaction: every table read through it sees the same snapshot, so a transaction
 * committed while the dump runs is in the dump entirely or not at all. Always rolled back on close, which also undoes
 * the {@code SET LOCAL}s, so a pooled connection goes back as it came.
 */
public final class SnapshotSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSession.class);

    private final Connection connection;
    private final boolean autoCommitBefore;
    private boolean closed;

    private SnapshotSession(Connection connection, boolean autoCommitBefore) {
        this.connection = connection;
        this.autoCommitBefore = autoCommitBefore;
    }

    /** Begins the dump's own transaction, whose snapshot every other reading connection then shares. */
    public static SnapshotSession open(DataSource dataSource, Duration lockTimeout) throws SQLException {
        return begin(dataSource, lockTimeout, null);
    }

    /**
     * Begins a transaction on another connection that sees exactly the snapshot {@link #exportSnapshot} named, so
     * rows it reads belong to the same instant as everything else in the dump.
     */
    public static SnapshotSession join(DataSource dataSource, Duration lockTimeout, String snapshotId)
            throws SQLException {
        return begin(dataSource, lockTimeout, snapshotId);
    }

    private static SnapshotSession begin(DataSource dataSource, Duration lockTimeout, String snapshotId)
            throws SQLException {
        Connection connection = dataSource.getConnection();
        boolean autoCommitBefore = true;
        try {
            autoCommitBefore = connection.getAutoCommit();
            // One transaction holds the snapshot, its locks and every COPY of the pieces read on this connection.
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                if (snapshotId != null) {
                    // Before any query of the transaction, as PostgreSQL requires.
                    statement.execute("SET TRANSACTION SNAPSHOT " + Identifiers.literal(snapshotId));
                }
                // Off: a role that row security would filter fails loudly instead of exporting part of a table.
                statement.execute("SET LOCAL row_security = off");
                // A role-level statement_timeout must not cut a long table read short.
                statement.execute("SET LOCAL statement_timeout = 0");
                statement.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
                statement.execute("SET LOCAL lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
            }
            // Values render the same wherever the dump runs, whatever the database's or role's defaults.
            SessionSettings.apply(connection, SessionSettings.PINNED);
            return new SnapshotSession(connection, autoCommitBefore);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection, autoCommitBefore);
            throw e;
        }
    }

    /** Names this transaction's snapshot for {@link #join}; valid while this transaction stays open. */
    public String exportSnapshot() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    public Connection connection() {
        return connection;
    }

    /**
     * Takes ACCESS SHARE on every table up front, as pg_dump does, so a concurrent TRUNCATE or DROP waits for the
     * dump instead of making a table look empty in it. One table at a time, so a lock timeout names its table.
     */
    public void lockShared(List<DumpTable> tables) throws TableLockException {
        for (DumpTable table : tables) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE " + table.qualifiedIdentifier() + " IN ACCESS SHARE MODE");
            } catch (SQLException e) {
                throw new TableLockException(table, e);
            }
        }
    }

    /**
     * For a connection that joined the snapshot: takes ACCESS SHARE on every table at once, or fails at once. The
     * dump's own connection holds these locks already; a TRUNCATE or DROP queued behind them would make a joined
     * connection that waits for a lock wait forever (PostgreSQL cannot see that the dump waits for its own reader), so
     * a joined connection that cannot have its locks right away does not read at all.
     */
    public boolean tryLockShared(List<DumpTable> tables) {
        if (tables.isEmpty()) {
            return true;
        }
        String names = tables.stream().map(DumpTable::qualifiedIdentifier).collect(Collectors.joining(", "));
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE " + names + " IN ACCESS SHARE MODE NOWAIT");
            return true;
        } catch (SQLException e) {
            LOG.debug("A joined snapshot connection could not lock the tables: {}", e.getMessage());
            return false;
        }
    }

    public DatabaseInfo describeDatabase() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(
                     "SELECT current_database(), current_setting('server_version'), current_user")) {
            rs.next();
            return new DatabaseInfo(rs.getString(1), rs.getString(2), rs.getString(3));
        }
    }

    /** Cuts the connection from another thread, so a statement in progress fails at once. */
    public void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            LOG.debug("Aborting the snapshot connection failed: {}", e.getMessage());
        }
    }

    /** Ends the snapshot; the pipeline ends it before uploading and again, harmlessly, in its final clean-up. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(connection, autoCommitBefore);
        }
    }

    private static void closeQuietly(Connection connection, boolean autoCommitBefore) {
        try {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.setAutoCommit(autoCommitBefore);
            }
        } catch (SQLException e) {
            LOG.debug("Rolling back the snapshot transaction failed: {}", e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the snapshot connection failed: {}", e.getMessage());
        }
    }
}
