package dev.databasedump.database;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which rows a dump reads: every row of every listed table (a full dump), or a scope's (one tenant's), decided once,
 * inside the snapshot, as a filter per table. Nothing downstream of the reading knows which.
 */
public interface RowScope {

    /** Every row of every table listed. */
    RowScope EVERY_ROW = new RowScope() {
        @Override
        public Map<DumpTable, RowFilter> choose(Connection connection, List<DumpTable> listed) {
            Map<DumpTable, RowFilter> all = new LinkedHashMap<>();
            listed.forEach(table -> all.put(table, null));
            return all;
        }

        @Override
        public boolean everyRow() {
            return true;
        }
    };

    /**
     * The tables the dump reads, of those listed, in their order, each with the filter that keeps its rows in scope
     * (null: every row). Runs inside the snapshot, before the tables are locked.
     */
    Map<DumpTable, RowFilter> choose(Connection connection, List<DumpTable> listed) throws StepFailedException;

    /** Once the tables are locked and before a row is read: what must hold of the scope's rows. */
    default void check(Connection connection) throws StepFailedException {
    }

    /** Whether every row is read: the dump then cuts large tables into key ranges and records the sequences. */
    default boolean everyRow() {
        return false;
    }
}
