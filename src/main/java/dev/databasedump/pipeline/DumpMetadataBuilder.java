package dev.databasedump.pipeline;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.SequenceState;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.DumpMetadata.TableSummary;
import dev.databasedump.document.TableKeys;
import dev.databasedump.settings.DumpSettings;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dump's metadata, from what its run knows: the longest it can become while the tables are read, then the real one. */
final class DumpMetadataBuilder {

    private final DumpSettings settings;
    private final TableKeys tableKeys;

    DumpMetadataBuilder(DumpSettings settings, TableKeys tableKeys) {
        this.settings = settings;
        this.tableKeys = tableKeys;
    }

    /** Every count and the duration at their largest: sizes the room kept for the metadata in the document. */
    DumpMetadata bound(DumpRun run) {
        return build(run, true);
    }

    /** The metadata as it is now: once every table is in, the dump's own. */
    DumpMetadata of(DumpRun run) {
        return build(run, false);
    }

    /** A table's summary entry: its rows, its columns and their types in order. */
    static TableSummary summary(DumpTable table, long rows) {
        Map<String, String> types = new LinkedHashMap<>();
        table.columns().forEach(column -> types.put(column.name(), column.type()));
        return new TableSummary(rows, table.columns().size(), types);
    }

    private DumpMetadata build(DumpRun run, boolean largest) {
        Map<String, TableSummary> tables = new LinkedHashMap<>();
        run.tablesByKey.forEach((key, table) -> tables.put(key,
                largest ? summary(table, Long.MAX_VALUE) : run.tables.get(key)));
        Map<String, DumpMetadata.Sequence> sequences = new LinkedHashMap<>();
        for (SequenceState sequence : run.snapshot.sequences().read()) {
            sequences.put(tableKeys.of(sequence.schema(), sequence.name()),
                    new DumpMetadata.Sequence(sequence.lastValue(), sequence.isCalled()));
        }
        List<String> notRead = run.snapshot.sequences().unreadable().stream()
                .map(sequence -> tableKeys.of(sequence.schema(), sequence.name())).toList();
        return new DumpMetadata(DumpMetadata.FORMAT_VERSION, DateTimeFormatter.ISO_INSTANT.format(run.startedAt),
                settings.environment(), run.triggeredBy, DumpMetadata.Database.of(run.snapshot.database()),
                settings.schemas(), run.snapshot.sessionSettings(), tables.size(),
                largest ? Long.MAX_VALUE : run.totalRows(), tables, sequences, notRead.isEmpty() ? null : notRead,
                run.tenantRows == null ? null : run.tenantRows.metadata(),
                // Known only once the rows are read: a head that outgrows its room is written beside the file.
                largest || run.document == null ? null : run.document.jsonNulls().listed(),
                largest || run.document == null ? null : run.document.jsonNulls().unrecorded(),
                largest ? Long.MAX_VALUE : (System.nanoTime() - run.startedNanos) / 1_000_000);
    }
}
