package dev.databasedump.pipeline;

import dev.databasedump.database.DatabaseInfo;
import dev.databasedump.database.SnapshotSession;
import dev.databasedump.document.DumpDocument;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.DumpMetadata.TableSummary;
import dev.databasedump.document.SealedDocument;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The state of one dump while it runs through the route; carried as an exchange property. */
final class DumpRun {

    final Instant startedAt;
    final long startedNanos;
    final Map<String, TableSummary> tables = new LinkedHashMap<>();
    final DumpProgress progress;
    final String triggeredBy;
    SnapshotSession session;
    DatabaseInfo database;
    DumpDocument document;
    DumpMetadata metadata;
    SealedDocument sealed;
    String key;
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
}
