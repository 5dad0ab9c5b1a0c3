package dev.databasedump.database;

/** PostgreSQL identifier quoting: every identifier we send is quoted, so no name is ever read as SQL. */
final class Identifiers {

    private Identifiers() {
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
