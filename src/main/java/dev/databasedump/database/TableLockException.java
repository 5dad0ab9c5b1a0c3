package dev.databasedump.database;

import java.sql.SQLException;

/** A table whose ACCESS SHARE lock was not granted (lock timeout, or the table is gone). */
public class TableLockException extends SQLException {

    private final transient DumpTable table;

    public TableLockException(DumpTable table, SQLException cause) {
        super(cause.getMessage(), cause.getSQLState(), cause);
        this.table = table;
    }

    /** The table that could not be locked. */
    public DumpTable table() {
        return table;
    }
}
