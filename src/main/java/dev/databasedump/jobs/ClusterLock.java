package dev.databasedump.jobs;

import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.FailureMessages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL advisory locks that every replica using the same database sees. Each is taken with
 * {@code pg_try_advisory_xact_lock} in a transaction of its own, on a connection of its own, that lives exactly as long
 * as the run it guards: nothing outlives its transaction, so the locks behave the same through a transaction pooler
 * (Supabase's port 6543, PgBouncer in transaction mode, which keeps a transaction on one server connection) as on a
 * direct connection, and a process that dies takes its locks with it.
 */
public final class ClusterLock {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLock.class);
    /** First key of the lock a full dump holds while it runs ("DUMP"); the second is 0. */
    public static final int DUMP = 0x44554d50;

    private final Supplier<DataSource> dataSource;

    public ClusterLock(Supplier<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    /** The lock {@code (namespace, key)}, held until the returned handle is closed; empty when another holds it. */
    public Optional<Held> tryLock(int namespace, int key) {
        Connection connection = null;
        try {
            connection = dataSource.get().getConnection();
            Connection own = connection;
            Optional<Held> held = tryLocks(connection, () -> end(own), new int[] {namespace, key});
            if (held.isEmpty()) {
                end(connection);
            }
            return held;
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                end(connection);
            }
            throw lockFailed(e);
        }
    }

    /**
     * A connection of its own that takes locks one run after another, each in a transaction of its own: what a worker
     * of a round of tenant dumps holds, so that a tenant's lock costs a statement, not a new connection.
     */
    public Session session() {
        return new Session();
    }

    // Every pair of keys, in one transaction: all of them held, or none (the transaction is rolled back).
    private static Optional<Held> tryLocks(Connection connection, Runnable release, int[] pairs) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            // The transaction waits, idle, for as long as the run: a server timeout must not end it (and the lock).
            statement.execute("SET LOCAL idle_in_transaction_session_timeout = 0");
        }
        StringBuilder sql = new StringBuilder("SELECT true");
        for (int i = 0; i < pairs.length; i += 2) {
            sql.append(" AND pg_try_advisory_xact_lock(?, ?)");
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < pairs.length; i++) {
                statement.setInt(i + 1, pairs[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return Optional.of(new Held(release));
                }
            }
        }
        connection.rollback();
        return Optional.empty();
    }

    private static DumpFailedException lockFailed(Exception e) {
        return new DumpFailedException("taking the dump lock in the database failed: "
                + FailureMessages.firstLine(String.valueOf(e.getMessage())), e);
    }

    /** Whether any session (this process's or another replica's) holds {@code (namespace, key)} now. */
    public boolean heldAnywhere(int namespace, int key) {
        try (Connection connection = dataSource.get().getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_locks"
                     + " WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname ="
                     + " current_database()) AND classid = ? AND objid = ? AND objsubid = 2 AND granted)")) {
            statement.setLong(1, Integer.toUnsignedLong(namespace));
            statement.setLong(2, Integer.toUnsignedLong(key));
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debug("Could not look for the lock's holder: {}", e.getMessage());
            return false;
        }
    }

    /** How an operator finds the session holding {@code (namespace, key)}: a query to run in the database. */
    public static String holderQuery(int namespace, int key) {
        return "SELECT pid, application_name, client_addr, xact_start FROM pg_locks JOIN pg_stat_activity USING (pid)"
                + " WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname ="
                + " current_database()) AND classid = " + Integer.toUnsignedLong(namespace) + " AND objid = "
                + Integer.toUnsignedLong(key) + " AND objsubid = 2";
    }

    private static void end(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("Ending the lock transaction failed (the lock goes with its connection): {}", e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the lock connection failed: {}", e.getMessage());
        }
    }

    /** A lock this process holds; closing it ends its transaction, which releases it. */
    public static final class Held implements AutoCloseable {

        private final Runnable release;
        private boolean released;

        private Held(Runnable release) {
            this.release = release;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                release.run();
            }
        }
    }

    /** One connection taking locks run after run; closing it closes the connection (and whatever it holds). */
    public final class Session implements AutoCloseable {

        private Connection connection;

        private Session() {
        }

        /**
         * Every lock of {@code pairs} ({@code namespace, key, namespace, key, ...}), held together until the returned
         * handle is closed; empty when another session holds any of them.
         */
        public synchronized Optional<Held> tryLocks(int... pairs) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = dataSource.get().getConnection();
                }
                Connection own = connection;
                return ClusterLock.tryLocks(own, () -> rollback(own), pairs);
            } catch (SQLException | RuntimeException e) {
                close();
                throw lockFailed(e);
            }
        }

        private void rollback(Connection own) {
            try {
                own.rollback();
            } catch (SQLException e) {
                // The lock goes with the connection: the next run opens another.
                LOG.debug("Ending a lock transaction failed: {}", e.getMessage());
                synchronized (this) {
                    if (connection == own) {
                        end(own);
                        connection = null;
                    }
                }
            }
        }

        @Override
        public synchronized void close() {
            if (connection != null) {
                end(connection);
                connection = null;
            }
        }
    }
}
