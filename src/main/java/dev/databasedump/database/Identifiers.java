package dev.databasedump.database;

/** PostgreSQL quoting: every identifier and literal we put in SQL is quoted, so no name is ever read as SQL. */
final class Identifiers {

    private Identifiers() {
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** A string literal, for the few statements (SET TRANSACTION SNAPSHOT) that take no parameters. */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
