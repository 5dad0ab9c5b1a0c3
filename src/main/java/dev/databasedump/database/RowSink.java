package dev.databasedump.database;

import java.io.IOException;

/**
 * Receives each row as PostgreSQL's own {@code to_json} text, in table order, as the UTF-8 bytes the server sent
 * (pgjdbc always talks UTF-8): never decoded into a String and encoded back, which at a gigabyte costs seconds.
 */
@FunctionalInterface
public interface RowSink {

    void accept(byte[] rowJsonUtf8) throws IOException;
}
