package dev.databasedump.database;

import java.io.IOException;

/**
 * Receives each row as PostgreSQL's own {@code to_json} text, in table order, as the UTF-8 bytes the server sent
 * (pgjdbc always talks UTF-8): never decoded into a String and encoded back, which at a gigabyte costs seconds.
 */
@FunctionalInterface
public interface RowSink {

    /** The row is {@code length} bytes of {@code buffer} from {@code offset}; the buffer is reused once this returns. */
    void accept(byte[] buffer, int offset, int length) throws IOException;

    /**
     * Right after {@link #accept}, for a row of a table with json or jsonb columns where some of them hold JSON null
     * (which the row's JSON writes as it writes NULL): their positions among the table's columns, as ASCII
     * {@code "0,3"}. Rows without one are not announced.
     */
    default void jsonNulls(byte[] buffer, int offset, int length) throws IOException {
    }
}
