package dev.databasedump.database;

/** PostgreSQL quoting: every identifier and literal we put in SQL is quoted, so no name is ever read as SQL. */
public final class Identifiers {

    private Identifiers() {
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A string literal, for the few statements that take no parameters (SET TRANSACTION SNAPSHOT, a JSON key). */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
