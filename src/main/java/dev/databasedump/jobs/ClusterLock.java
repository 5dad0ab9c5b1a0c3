package dev.databasedump.jobs;

import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.FailureMessages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL advisory locks that every replica using the same database sees, held by a session of their own (so the
 * connection must not go through a transaction pooler): one while a dump runs, and one per scheduled period, which
 * the replica that took the period keeps until the next period starts, so a replica whose timer fires a moment later
 * finds it taken. Session locks are reentrant, so callers in one process must already exclude each other.
 */
public final class ClusterLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLock.class);
    private static final int RUNNING = 0x44554d50;  // "DUMP"
    private static final int PERIOD = 0x44554d51;   // "DUMQ"

    private final Supplier<DataSource> dataSource;
    private Connection session;
    private Long heldPeriod;

    public ClusterLock(Supplier<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    public synchronized boolean tryLockRunning() {
        return call("SELECT pg_try_advisory_lock(?, 0)", RUNNING);
    }

    public synchronized void unlockRunning() {
        try {
            call("SELECT pg_advisory_unlock(?, 0)", RUNNING);
        } catch (RuntimeException e) {
            LOG.warn("Could not release the dump lock (it goes with its session): {}", e.getMessage());
        }
    }

    /** Takes {@code period} for this replica; false if it is taken, here or elsewhere. Releases the previous one. */
    public synchronized boolean tryClaimPeriod(long period) {
        if (heldPeriod != null && heldPeriod == period) {
            return false;
        }
        if (heldPeriod != null) {
            call("SELECT pg_advisory_unlock(?, ?)", PERIOD, (int) (long) heldPeriod);
            heldPeriod = null;
        }
        boolean claimed = call("SELECT pg_try_advisory_lock(?, ?)", PERIOD, (int) period);
        if (claimed) {
            heldPeriod = period;
        }
        return claimed;
    }

    private boolean call(String sql, int... keys) {
        try {
            PreparedStatement statement = session().prepareStatement(sql);
            try (statement) {
                for (int i = 0; i < keys.length; i++) {
                    statement.setInt(i + 1, keys[i]);
                }
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        } catch (SQLException e) {
            closeSession();
            throw new DumpFailedException("taking the dump lock in the database failed: "
                    + FailureMessages.firstLine(String.valueOf(e.getMessage())), e);
        }
    }

    private Connection session() throws SQLException {
        if (session == null || !session.isValid(2)) {
            closeSession();
            session = dataSource.get().getConnection();
            session.setAutoCommit(true);
        }
        return session;
    }

    private void closeSession() {
        if (session != null) {
            heldPeriod = null;
            try {
                session.close();
            } catch (SQLException e) {
                LOG.debug("Closing the lock session failed: {}", e.getMessage());
            }
            session = null;
        }
    }

    @Override
    public synchronized void close() {
        closeSession();
    }
}
