package dev.databasedump.database;

import dev.databasedump.settings.DumpSettings;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database as one dump sees it: one REPEATABLE READ snapshot, shared by every connection that reads for the dump,
 * its tables listed, locked and cut into pieces. Opening it is the dump's first phase; closing it ends every
 * transaction and gives the connections back.
 */
public final class DumpSnapshot implements Snapshot {

    private static final Logger LOG = LoggerFactory.getLogger(DumpSnapshot.class);

    private final DataSource dataSource;
    private final DumpSettings settings;
    private final RowScope scope;
    private volatile SnapshotReaders readers;
    private volatile boolean aborted;
    private DatabaseInfo database;
    private Map<String, String> sessionSettings;
    private List<DumpTable> tables;
    private SequenceCatalog.Sequences sequences;
    private List<TablePiece> pieces;

    /**
     * Nothing is opened yet: {@link #open} does, and {@link #abort} can stop it from the start.
     *
     * @param scope which rows are read: {@link RowScope#EVERY_ROW}, or a tenant's
     */
    public DumpSnapshot(DataSource dataSource, DumpSettings settings, RowScope scope) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.scope = scope;
    }

    /**
     * Opens the snapshot, lists the tables the settings choose, locks them, cuts them into pieces and lets up to
     * {@code dump.parallelism - 1} more connections join. On failure nothing stays open.
     *
     * @throws StepFailedException naming the step that failed, with the database's error as its cause
     */
    public void open() throws StepFailedException {
        SnapshotSession session;
        try {
            session = SnapshotSession.open(dataSource, settings.lockTimeout());
        } catch (SQLException e) {
            throw new StepFailedException("opening a snapshot of the database", e);
        }
        readers = new SnapshotReaders(session);
        if (aborted) {
            // Stopped while connecting: the connection that now exists is cut too.
            readers.abort();
        }
        try {
            database = describe(session);
            Map<DumpTable, RowFilter> chosen = scope.choose(session.connection(), list(session, settings));
            tables = List.copyOf(chosen.keySet());
            try {
                session.lockShared(tables);
            } catch (TableLockException e) {
                throw new StepFailedException("locking table " + e.table().displayName(), e);
            }
            scope.check(session.connection());
            if (scope.everyRow()) {
                readSequences(session);
                try {
                    pieces = new PiecePlanner(settings.reads().pieceRows()).plan(session.connection(), tables);
                } catch (SQLException e) {
                    throw new StepFailedException("planning the reads", e);
                }
            } else {
                // Where a sequence stands counts every row, not only the scope's: not the scope's to have. A restore
                // moves each owned sequence past the rows it restores instead. One piece per table, filtered.
                sequences = new SequenceCatalog.Sequences(List.of(), List.of());
                pieces = new ArrayList<>();
                chosen.forEach((table, filter) -> pieces.add(TablePiece.filtered(pieces.size(), table, filter)));
            }
            try {
                readers.join(dataSource, settings.lockTimeout(), tables,
                        Math.min(settings.reads().parallelism(), pieces.size()));
            } catch (SQLException e) {
                throw new StepFailedException("exporting the snapshot", e);
            }
        } catch (StepFailedException | RuntimeException e) {
            readers.close();
            throw e;
        }
    }

    private void readSequences(SnapshotSession session) throws StepFailedException {
        try {
            sequences = SequenceCatalog.read(session.connection(), settings.schemas());
        } catch (SQLException e) {
            throw new StepFailedException("reading the sequences", e);
        }
        warnOfUnreadable(sequences.unreadable());
    }

    // A restore of this dump cannot put these where they stood; it sets those a restored table owns past its rows.
    private void warnOfUnreadable(List<SequenceState.Name> unreadable) {
        if (unreadable.isEmpty()) {
            return;
        }
        LOG.warn("Role {} may not read {} sequence{} ({}): where {} stand is not in the dump, and a restore sets {}"
                + " past the restored rows instead. To record them: {}", database.role(), unreadable.size(),
                unreadable.size() == 1 ? "" : "s",
                unreadable.stream().map(SequenceState.Name::displayName).collect(Collectors.joining(", ")),
                unreadable.size() == 1 ? "it" : "they", unreadable.size() == 1 ? "it" : "them",
                unreadable.stream().map(SequenceState.Name::schema).distinct()
                        .map(schema -> "GRANT SELECT ON ALL SEQUENCES IN SCHEMA " + Identifiers.quote(schema) + " TO "
                                + Identifiers.quote(database.role()) + ";")
                        .collect(Collectors.joining(" ")));
    }

    private DatabaseInfo describe(SnapshotSession session) throws StepFailedException {
        try {
            sessionSettings = SessionSettings.recorded(session.connection());
            return session.describeDatabase();
        } catch (SQLException e) {
            throw new StepFailedException("opening a snapshot of the database", e);
        }
    }

    // A schema that does not exist, or filters that leave nothing, would store an empty dump that looks like success.
    private static List<DumpTable> list(SnapshotSession session, DumpSettings settings) throws StepFailedException {
        TableCatalog catalog = new TableCatalog(settings.schemas(), settings.tables());
        List<DumpTable> tables;
        try {
            List<String> missing = catalog.missingSchemas(session.connection());
            if (!missing.isEmpty()) {
                throw StepFailedException.because("listing the tables", "dump.schemas names "
                        + (missing.size() == 1 ? "schema " + missing.get(0) + ", which does not"
                        : "schemas " + String.join(", ", missing) + ", which do not") + " exist in this database");
            }
            tables = catalog.list(session.connection());
        } catch (SQLException e) {
            throw new StepFailedException("listing the tables", e);
        }
        if (tables.isEmpty() && !settings.allowEmpty()) {
            throw StepFailedException.because("listing the tables", "no table to dump in schemas "
                    + String.join(", ", settings.schemas()) + settings.tables().describe()
                    + "; set dump.allow-empty=true to store an empty dump anyway");
        }
        return tables;
    }

    /** Every connection reading in the snapshot, the dump's own (which holds the table locks) first. */
    @Override
    public SnapshotReaders readers() {
        return readers;
    }

    @Override
    public DatabaseInfo database() {
        return database;
    }

    /** The settings values were written under, for a restore to read them back the same. */
    @Override
    public Map<String, String> sessionSettings() {
        return sessionSettings;
    }

    /**
     * Where every sequence of the schemas that the role may read stood just after the snapshot was taken, and which it
     * may not read.
     */
    @Override
    public SequenceCatalog.Sequences sequences() {
        return sequences;
    }

    /** The tables, in document order. */
    @Override
    public List<DumpTable> tables() {
        return tables;
    }

    /** The pieces to read, in document order. */
    @Override
    public List<TablePiece> pieces() {
        return pieces;
    }

    /** Cuts every connection from another thread, so statements in progress (a lock wait too) fail at once. */
    @Override
    public void abort() {
        aborted = true;
        SnapshotReaders open = readers;
        if (open != null) {
            open.abort();
        }
    }

    /** Ends the snapshot; harmless to repeat. */
    @Override
    public void close() {
        SnapshotReaders open = readers;
        if (open != null) {
            open.close();
        }
    }
}
