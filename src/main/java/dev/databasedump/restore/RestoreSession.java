package dev.databasedump.restore;

import dev.databasedump.database.SessionSettings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one transaction a restore writes in: everything it does is committed together, or nothing is. Reads values
 * back under the settings the dump wrote them under; row security off, so a role that a policy would filter fails
 * loudly instead of loading part of a table. Rolled back on close unless committed.
 */
final class RestoreSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreSession.class);
    /** Key of the advisory lock that keeps two restores out of one database at once. */
    private static final long RESTORE_LOCK = 0x44554d5052L;

    private final Connection connection;
    private final boolean autoCommitBefore;
    private boolean committed;
    private boolean closed;

    private RestoreSession(Connection connection, boolean autoCommitBefore) {
        this.connection = connection;
        this.autoCommitBefore = autoCommitBefore;
    }

    static RestoreSession begin(DataSource dataSource, Map<String, String> valueSettings) throws SQLException {
        Connection connection = dataSource.getConnection();
        boolean autoCommitBefore = true;
        try {
            autoCommitBefore = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL row_security = off");
                statement.execute("SET LOCAL statement_timeout = 0");
                statement.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
            }
            SessionSettings.apply(connection, valueSettings);
            return new RestoreSession(connection, autoCommitBefore);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
                connection.setAutoCommit(autoCommitBefore);
            } catch (SQLException ignored) {
                // closing anyway
            }
            connection.close();
            throw e;
        }
    }

    Connection connection() {
        return connection;
    }

    /** The target database's name and the role restoring into it, for messages. */
    String[] describe() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_database(), current_user")) {
            rs.next();
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    /** False when another restore into this database holds the lock; held until this transaction ends. */
    boolean tryLockRestores() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
            statement.setLong(1, RESTORE_LOCK);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    void commit() throws SQLException {
        connection.commit();
        committed = true;
    }

    /** Cuts the connection from another thread, so a statement in progress fails at once (and nothing commits). */
    void abort() {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            LOG.debug("Aborting the restore connection failed: {}", e.getMessage());
        }
    }

    /** Rolls back whatever was not committed: the target is as it was. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!connection.isClosed()) {
                if (!committed) {
                    connection.rollback();
                }
                connection.setAutoCommit(autoCommitBefore);
            }
        } catch (SQLException e) {
            LOG.debug("Rolling back the restore failed: {}", e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the restore connection failed: {}", e.getMessage());
        }
    }
}
