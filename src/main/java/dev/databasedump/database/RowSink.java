package dev.databasedump.database;

import java.io.IOException;

/** Receives each row as PostgreSQL's own {@code to_json} text, in table order. */
@FunctionalInterface
public interface RowSink {

    void accept(String rowJson) throws IOException;
}
