package dev.databasedump.database;

import java.util.List;
import java.util.Map;

/**
 * The database as one dump reads it, in one snapshot: its own ({@link DumpSnapshot}), or, in a round of tenant dumps,
 * one that several tenants' dumps share, each with its own pieces. What the dump's steps ask of it.
 */
public interface Snapshot extends AutoCloseable {

    /** Every connection reading in the snapshot. */
    SnapshotReaders readers();

    DatabaseInfo database();

    /** The settings values were written under, for a restore to read them back the same. */
    Map<String, String> sessionSettings();

    /** Where the sequences stood (none for a tenant's dump). */
    SequenceCatalog.Sequences sequences();

    /** The tables, in document order. */
    List<DumpTable> tables();

    /** The pieces to read, in document order. */
    List<TablePiece> pieces();

    /** Cuts every connection from another thread, so statements in progress fail at once. */
    void abort();

    /** The dump is done with it; harmless to repeat. */
    @Override
    void close();
}
