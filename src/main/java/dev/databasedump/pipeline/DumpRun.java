package dev.databasedump.pipeline;

import dev.databasedump.database.DatabaseInfo;
import dev.databasedump.database.DumpTable;
import dev.databasedump.database.SnapshotReaders;
import dev.databasedump.document.DumpDocument;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.DumpMetadata.TableSummary;
import dev.databasedump.document.SealedDocument;
import dev.databasedump.storage.GrowingFileUpload;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** The state of one dump while it runs through the route; carried as an exchange property. */
final class DumpRun {

    final Instant startedAt;
    final long startedNanos;
    /** Each table's count, once its last piece is in the document; in document order: {@link #tablesByKey}. */
    final Map<String, TableSummary> tables = new ConcurrentHashMap<>();
    final Map<String, DumpTable> tablesByKey = new LinkedHashMap<>();
    final DumpProgress progress;
    final String triggeredBy;
    /** Every connection reading in the snapshot, the dump's own (which holds the table locks) first. */
    volatile SnapshotReaders readers;
    DatabaseInfo database;
    DumpDocument document;
    GrowingFileUpload upload;
    DumpMetadata metadata;
    SealedDocument sealed;
    String key;
    /** A piece failed: the others stop at their next row. */
    volatile boolean failing;
    final AtomicReference<DumpFailedException> firstFailure = new AtomicReference<>();
    /** The dump object is in the bucket: from here on a failure must remove it. */
    boolean stored;
    boolean completed;
    /** Set when the application stops under this dump: its failure then says so. */
    volatile boolean aborted;
    /** The thread running the upload, interrupted when the application stops. */
    volatile Thread uploader;

    DumpRun(Instant startedAt, DumpProgress progress, String triggeredBy) {
        this.startedAt = startedAt;
        this.progress = progress;
        this.triggeredBy = triggeredBy;
        this.startedNanos = System.nanoTime();
    }

    long totalRows() {
        return tables.values().stream().mapToLong(TableSummary::rows).sum();
    }

    /** Records a piece's failure (the first one is the dump's) and stops the other pieces; returns it to throw. */
    DumpFailedException failed(DumpFailedException failure) {
        firstFailure.compareAndSet(null, failure);
        failing = true;
        return failure;
    }
}
