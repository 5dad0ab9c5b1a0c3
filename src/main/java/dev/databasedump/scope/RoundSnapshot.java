package dev.databasedump.scope;

import dev.databasedump.database.DatabaseInfo;
import dev.databasedump.database.DumpSnapshot;
import dev.databasedump.database.DumpTable;
import dev.databasedump.database.RowFilter;
import dev.databasedump.database.RowScope;
import dev.databasedump.database.SequenceCatalog;
import dev.databasedump.database.Snapshot;
import dev.databasedump.database.SnapshotReaders;
import dev.databasedump.database.StepFailedException;
import dev.databasedump.database.TablePiece;
import dev.databasedump.settings.DumpSettings;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * One snapshot that several tenants' dumps of a round share: opened, its tables listed, planned ({@link ScopePlan}) and
 * locked once, then each tenant's dump reads its own rows in it, as its own dump would have at that instant. What a
 * dump of one tenant pays each time (a transaction, the catalog, the foreign keys, the locks) a round pays once per
 * snapshot. A round keeps a snapshot no longer than it would take a full dump's; it ends when the round has moved on to
 * the next one and its last tenant is done.
 */
public final class RoundSnapshot implements AutoCloseable {

    private final DumpSnapshot snapshot;
    private final Instant takenAt;
    private final ScopePlan[] plan;
    private final DumpSettings settings;
    private int users;
    private boolean retired;
    private boolean closed;
    private boolean used;
    private final boolean idsWritten;

    private RoundSnapshot(DumpSnapshot snapshot, Instant takenAt, ScopePlan[] plan, DumpSettings settings,
            boolean idsWritten) {
        this.idsWritten = idsWritten;
        this.snapshot = snapshot;
        this.takenAt = takenAt;
        this.plan = plan;
        this.settings = settings;
    }

    /**
     * Opens a snapshot for a round's tenants and plans their scope in it.
     *
     * @param keyOf        how the document names a table
     * @param warnOfIndexes whether to warn of the indexes a tenant's dump would miss (once a round is enough)
     * @param idsWritten    whether the round's tenant ids are as the database writes them (the tenant table's keys,
     *                      the tenant column's values), not a query's, which each tenant's dump reads with a cast
     */
    public static RoundSnapshot open(DataSource dataSource, DumpSettings settings, Function<DumpTable, String> keyOf,
            boolean warnOfIndexes, boolean idsWritten, Clock clock) throws StepFailedException {
        ScopePlan[] plan = new ScopePlan[1];
        RowScope everyTenant = new RowScope() {
            @Override
            public Map<DumpTable, RowFilter> choose(Connection connection, List<DumpTable> listed)
                    throws StepFailedException {
                plan[0] = ScopePlan.of(connection, listed, settings.tenants(), keyOf);
                if (warnOfIndexes) {
                    plan[0].warnOfMissingIndexes(connection);
                }
                Map<DumpTable, RowFilter> reached = new LinkedHashMap<>();
                plan[0].tables().forEach(table -> reached.put(table, null));
                return reached;
            }
        };
        Instant takenAt = clock.instant();
        DumpSnapshot snapshot = new DumpSnapshot(dataSource, settings, everyTenant);
        snapshot.open();
        return new RoundSnapshot(snapshot, takenAt, plan, settings, idsWritten);
    }

    /** When it was taken (just before): the instant every tenant dump read in it is of. */
    public Instant takenAt() {
        return takenAt;
    }

    /** Whether it has been open longer than {@code age}. */
    public boolean olderThan(Duration age, Clock clock) {
        return takenAt.plus(age).isBefore(clock.instant());
    }

    /** Keeps it open for one more tenant's dump, which {@link #share} then makes. */
    synchronized void hold() throws StepFailedException {
        if (closed) {
            throw StepFailedException.because("sharing the round's snapshot", "the snapshot has ended");
        }
        users++;
    }

    /**
     * {@code tenant}'s share of the snapshot, held for it by {@link #hold}, for one dump: its rows' filters and the
     * privacy guard's check, made in the snapshot; closing it hands the snapshot back.
     *
     * @throws StepFailedException as a tenant's own dump would fail (a reference to another tenant's row, say)
     */
    TenantSnapshot share(String tenant) throws StepFailedException {
        TenantRows rows = new TenantRows(settings.tenants(), plan[0], tenant, idsWritten);
        try {
            List<TablePiece> pieces = new ArrayList<>();
            snapshot.readers().read(connection -> {
                rows.choose(connection).forEach((table, filter) -> pieces.add(TablePiece.filtered(pieces.size(),
                        table, filter)));
                rows.check(connection);
                return null;
            });
            return new TenantSnapshot(rows, pieces, firstUse());
        } catch (StepFailedException | RuntimeException e) {
            release();
            throw e;
        } catch (Exception e) {
            release();
            throw new StepFailedException("scoping tenant " + tenant, e);
        }
    }

    private synchronized boolean firstUse() {
        boolean first = !used;
        used = true;
        return first;
    }

    /** The scope plan the round's tenants share. */
    public ScopePlan plan() {
        return plan[0];
    }

    /** Runs {@code work} on a free connection of the snapshot. */
    public <T> T read(SnapshotReaders.Work<T> work) throws Exception {
        return snapshot.readers().read(work);
    }

    /** The round moves on to another snapshot: this one ends once its tenants are done. */
    public synchronized void retire() {
        retired = true;
        if (users == 0) {
            close();
        }
    }

    private synchronized void release() {
        users--;
        if (retired && users == 0) {
            close();
        }
    }

    /** Ends the snapshot now (the round ended, or the application stops). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            snapshot.close();
        }
    }

    /** Cuts the snapshot's connections, from another thread. */
    public void abort() {
        snapshot.abort();
    }

    /** One tenant's dump's view of the shared snapshot: its own pieces, the shared connections. */
    public final class TenantSnapshot implements Snapshot {

        private final TenantRows rows;
        private final List<TablePiece> pieces;
        private final boolean first;
        private boolean done;

        private TenantSnapshot(TenantRows rows, List<TablePiece> pieces, boolean first) {
            this.rows = rows;
            this.pieces = List.copyOf(pieces);
            this.first = first;
        }

        /** When the snapshot was taken: the instant the tenant's dump is of. */
        public Instant takenAt() {
            return takenAt;
        }

        /** Whether it is the first dump in the snapshot: that one sweeps what dead dumps left, for all of them. */
        public boolean first() {
            return first;
        }

        /** The tenant's scope, planned and checked: its metadata is the document's {@code metadata.scope}. */
        public TenantRows rows() {
            return rows;
        }

        @Override
        public SnapshotReaders readers() {
            return snapshot.readers();
        }

        @Override
        public DatabaseInfo database() {
            return snapshot.database();
        }

        @Override
        public Map<String, String> sessionSettings() {
            return snapshot.sessionSettings();
        }

        @Override
        public SequenceCatalog.Sequences sequences() {
            return new SequenceCatalog.Sequences(List.of(), List.of());
        }

        @Override
        public List<DumpTable> tables() {
            return pieces.stream().map(TablePiece::table).toList();
        }

        @Override
        public List<TablePiece> pieces() {
            return pieces;
        }

        /**
         * Only the application's stopping aborts a dump, and it stops the whole round too, which ends the snapshot:
         * a tenant's dump never cuts the connections other tenants' dumps read on.
         */
        @Override
        public void abort() {
        }

        @Override
        public void close() {
            synchronized (RoundSnapshot.this) {
                if (!done) {
                    done = true;
                    release();
                }
            }
        }
    }
}
