package dev.databasedump.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections that read one dump: the dump's own snapshot session, which listed and locked the tables, and the
 * sessions that joined its exported snapshot. Each piece borrows whichever is free, so a piece never waits for a
 * particular connection. Closing them never waits for a piece still reading (a failed dump cleans up while the other
 * pieces are stopping): a connection in use is cut, and its piece fails at once.
 */
public final class SnapshotReaders implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotReaders.class);

    private final SnapshotSession own;
    private final List<SnapshotSession> all = new CopyOnWriteArrayList<>();
    private final BlockingQueue<SnapshotSession> idle = new LinkedBlockingQueue<>();
    /** Sessions a piece is reading on; guarded by {@code this}, with {@link #closed}. */
    private final Set<SnapshotSession> busy = new HashSet<>();
    private boolean closed;

    public SnapshotReaders(SnapshotSession own) {
        this.own = own;
        all.add(own);
        idle.add(own);
    }

    /**
     * Up to {@code connections - 1} more sessions join the snapshot. One that cannot connect, or cannot lock the
     * tables at once, only means fewer connections: the dump's own session can read everything.
     *
     * @throws SQLException when the snapshot cannot be exported
     */
    public void join(DataSource dataSource, Duration lockTimeout, List<DumpTable> tables, int connections)
            throws SQLException {
        if (connections <= 1) {
            return;
        }
        String snapshot = own.exportSnapshot();
        while (all.size() < connections) {
            SnapshotSession joined;
            try {
                joined = SnapshotSession.join(dataSource, lockTimeout, snapshot);
            } catch (SQLException e) {
                LOG.warn("Reading on {} connections, not {}: another could not join the snapshot: {}", all.size(),
                        connections, e.getSQLState());
                return;
            }
            if (!joined.tryLockShared(tables)) {
                LOG.info("Reading on {} connections, not {}: another session is waiting to change a table",
                        all.size(), connections);
                joined.close();
                return;
            }
            all.add(joined);
            idle.add(joined);
        }
    }

    /** How many connections read. */
    public int size() {
        return all.size();
    }

    /** Runs {@code work} on a free connection of the snapshot, waiting for one if all are busy. */
    public <T> T read(Work<T> work) throws Exception {
        SnapshotSession session = idle.take();
        synchronized (this) {
            if (closed) {
                // Back for the next piece waiting, which then fails the same way instead of waiting for ever.
                idle.add(session);
                throw new SQLException("the snapshot has ended");
            }
            busy.add(session);
        }
        try {
            return work.on(session.connection());
        } finally {
            synchronized (this) {
                busy.remove(session);
            }
            idle.add(session);
        }
    }

    /** Cuts every connection from another thread, so statements in progress fail at once. */
    public void abort() {
        all.forEach(SnapshotSession::abort);
    }

    /**
     * Ends every transaction; harmless to repeat. A connection a piece is still reading on is cut instead: pgjdbc holds
     * a connection for a COPY until the COPY ends, so a rollback from here would wait for the piece, and for ever if
     * the piece then cuts the connection itself, as one stopped early does.
     */
    @Override
    public void close() {
        List<SnapshotSession> reading;
        synchronized (this) {
            closed = true;
            reading = List.copyOf(busy);
        }
        reading.forEach(SnapshotSession::abort);
        all.forEach(SnapshotSession::close);
    }

    /** What a piece does with its connection. */
    @FunctionalInterface
    public interface Work<T> {
        T on(Connection connection) throws Exception;
    }
}
