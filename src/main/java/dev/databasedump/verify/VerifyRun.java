package dev.databasedump.verify;

import dev.databasedump.document.DocumentProblem;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.DumpMetadata.TableSummary;
import dev.databasedump.document.RowBatch;
import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.RunLifecycle;
import dev.databasedump.storage.StoredDumpStream;
import dev.databasedump.verify.VerifyReport.TableCheck;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** One verification while it runs through the route: the stored dump being read and what was found so far. */
final class VerifyRun implements RunLifecycle.Run {

    StoredDumpStream stored;
    DumpMetadata metadata;
    /** The first thing found wrong with the document; null while all is well. */
    String problem;
    /** False for an encrypted dump verified without an identity: only its stored bytes' SHA-256 was checked. */
    boolean documentChecked = true;
    /** A tenant dump's foreign keys, checked to resolve inside it; null for a full dump. */
    ReferenceCheck references;
    private final Map<String, Long> rows = new LinkedHashMap<>();
    private final Map<String, Boolean> complete = new LinkedHashMap<>();
    /** What the run is doing now, as a failure nobody foresaw names it. */
    volatile String step;
    private volatile boolean aborted;

    void tally(RowBatch batch) throws IOException {
        if (references != null && problem == null) {
            references.accept(batch);
        }
        rows.merge(batch.table(), (long) batch.rows(), Long::sum);
        if (batch.lastOfTable()) {
            complete.put(batch.table(), true);
        }
    }

    void found(DocumentProblem found) {
        problem = found.getMessage();
    }

    /** Per table of the summary: rows read, rows expected, and whether the table was read whole and matched. */
    Map<String, TableCheck> tables() {
        Map<String, TableCheck> tables = new LinkedHashMap<>();
        if (metadata != null) {
            for (Map.Entry<String, TableSummary> table : metadata.tablesSummary().entrySet()) {
                long read = rows.getOrDefault(table.getKey(), 0L);
                tables.put(table.getKey(), new TableCheck(read, table.getValue().rows(),
                        complete.containsKey(table.getKey()) && read == table.getValue().rows()));
            }
        }
        return tables;
    }

    long totalRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void abort() {
        aborted = true;
        if (stored != null) {
            stored.close();
        }
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

    @Override
    public void close() {
        if (references != null) {
            references.close();
        }
        if (stored != null) {
            stored.close();
        }
    }
}
