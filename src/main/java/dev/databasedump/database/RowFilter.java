package dev.databasedump.database;

/**
 * Which rows of a table a dump reads, as SQL over the table's alias {@code t}: a condition, and the common table
 * expressions it names (a recursive one follows a foreign-key cycle to its end). Computed by PostgreSQL inside the
 * dump's snapshot, so no key set ever travels to the JVM.
 *
 * @param with  {@code WITH RECURSIVE …} to put before the query, or empty
 * @param where the condition on {@code t}
 */
public record RowFilter(String with, String where) {

    public RowFilter {
        with = with == null ? "" : with;
    }
}
