package dev.databasedump.pipeline;

import dev.databasedump.database.Snapshot;
import dev.databasedump.database.DumpTable;
import dev.databasedump.document.DumpDocument;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.DumpMetadata.TableSummary;
import dev.databasedump.document.SealedDocument;
import dev.databasedump.metrics.RunMetrics;
import dev.databasedump.scope.TenantRows;
import dev.databasedump.storage.DumpKeys.DumpKey;
import dev.databasedump.storage.DumpStore;
import dev.databasedump.storage.GrowingFileUpload;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** The state of one dump while it runs through the route; carried as an exchange property. */
final class DumpRun implements RunLifecycle.Run {

    final long startedNanos = System.nanoTime();
    final DumpProgress progress;
    final String triggeredBy;
    /** The trigger label of the dump's metrics, and the job id of its log lines (null when not a job's). */
    final String trigger;
    final String jobId;
    /** The tenant whose rows alone are dumped, as asked and then as the database writes it; null for a full dump. */
    String tenant;
    /** A tenant's dump in a round of them, reading in the round's snapshot. */
    boolean inRound;
    /** A tenant dump's scope, once planned. */
    TenantRows tenantRows;
    /** Counts the dump as running in the metrics until it is closed. */
    RunMetrics.Running running;
    private final DumpStore store;
    /** The dump's key, and the instant it names, which the metadata gives as exported_at. */
    String key;
    Instant startedAt;
    volatile Snapshot snapshot;
    /** Each table's count, once its last piece is in the document; in document order: {@link #tablesByKey}. */
    final Map<String, TableSummary> tables = new ConcurrentHashMap<>();
    final Map<String, DumpTable> tablesByKey = new LinkedHashMap<>();
    DumpDocument document;
    GrowingFileUpload upload;
    DumpMetadata metadata;
    SealedDocument sealed;
    /** What the run is doing now, as a failure nobody foresaw names it. */
    volatile String step;
    /** A piece failed: the others stop at their next row. */
    volatile boolean failing;
    private final AtomicReference<DumpFailedException> firstFailure = new AtomicReference<>();
    boolean completed;
    private volatile boolean aborted;
    /** The thread waiting for the upload, interrupted when the application stops. */
    volatile Thread uploader;

    DumpRun(DumpStore store, DumpProgress progress, String triggeredBy, String trigger, String jobId,
            String tenant) {
        this.store = store;
        this.progress = progress;
        this.triggeredBy = triggeredBy;
        this.trigger = trigger;
        this.jobId = jobId;
        this.tenant = tenant;
    }

    void named(DumpKey allocated) {
        key = allocated.key();
        startedAt = allocated.takenAt();
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

    @Override
    public DumpFailedException firstFailure() {
        return firstFailure.get();
    }

    @Override
    public String step() {
        return step;
    }

    @Override
    public boolean aborted() {
        return aborted;
    }

    /** Cuts the database connections and interrupts the upload, so the dump fails at once and cleans up. */
    @Override
    public void abort() {
        aborted = true;
        Snapshot reading = snapshot;
        if (reading != null) {
            reading.abort();
        }
        Thread waiting = uploader;
        if (waiting != null) {
            waiting.interrupt();
        }
    }

    /** Ends the snapshot, deletes temporary files and, unless the dump completed, removes what it stored. */
    @Override
    public void close() {
        try {
            release();
        } finally {
            if (running != null) {
                running.close();
            }
        }
    }

    private void release() {
        // An interrupt meant for the upload must not break the clean-up calls below.
        if (uploader == Thread.currentThread()) {
            Thread.interrupted();
        }
        if (snapshot != null) {
            snapshot.close();
        }
        if (upload != null) {
            upload.abort();
        }
        if (document != null) {
            document.close();
        }
        if (!completed && key != null) {
            // Before the upload succeeded, what is at the key may be another dump's (a lost If-None-Match race).
            store.discard(key, upload != null && upload.completed());
        }
    }
}
