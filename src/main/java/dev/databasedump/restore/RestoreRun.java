package dev.databasedump.restore;

import dev.databasedump.document.DocumentReader;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.ReadAhead;
import dev.databasedump.document.RowBatch;
import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.DumpProgress;
import dev.databasedump.pipeline.RunLifecycle;
import dev.databasedump.storage.StoredDumpStream;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One restore while it runs through the route: the dump being read, the target's transaction, what was loaded. */
final class RestoreRun implements RunLifecycle.Run {

    final long startedNanos = System.nanoTime();
    final DumpProgress progress;
    volatile StoredDumpStream stored;
    DocumentReader reader;
    ReadAhead<RowBatch> batches;
    DumpMetadata metadata;
    volatile RestoreSession session;
    String database;
    String role;
    RestoreTarget target;
    RowStaging staging;
    TriggerGuard guard;
    /** How one tenant's data goes into the target; null for a whole restore. */
    TenantImport tenantImport;
    /** The target table of each table of the dump being restored, by its key in the dump, in the dump's order. */
    final Map<String, TargetTable> tables = new LinkedHashMap<>();
    /** Per table of the dump, where its JSON nulls stand (the metadata's json_nulls). */
    private final Map<String, JsonNullMarks> jsonNulls = new HashMap<>();
    boolean truncated;
    long rows;
    int sequences;
    int foreignKeys;
    /** What the run is doing now, as a failure nobody foresaw names it. */
    volatile String step;
    private volatile boolean aborted;

    RestoreRun(DumpProgress progress) {
        this.progress = progress;
    }

    @Override
    public void abort() {
        aborted = true;
        RestoreSession writing = session;
        if (writing != null) {
            writing.abort();
        }
        StoredDumpStream reading = stored;
        if (reading != null) {
            reading.close();
        }
    }

    /** Where the JSON nulls of {@code table} (its key in the dump) stand, as the dump lists them. */
    JsonNullMarks jsonNulls(String table) {
        Map<String, Map<String, List<long[]>>> listed = metadata.jsonNulls();
        if (listed == null || !listed.containsKey(table)) {
            return JsonNullMarks.NONE;
        }
        return jsonNulls.computeIfAbsent(table, t -> new JsonNullMarks(listed.get(t)));
    }

    @Override
    public String step() {
        return step;
    }

    @Override
    public boolean aborted() {
        return aborted;
    }

    @Override
    public DumpFailedException firstFailure() {
        return null;
    }

    /** Rolls back whatever was not committed, and ends the download. */
    @Override
    public void close() {
        if (batches != null) {
            batches.close();
        }
        if (session != null) {
            session.close();
        }
        if (stored != null) {
            stored.close();
        }
    }
}
