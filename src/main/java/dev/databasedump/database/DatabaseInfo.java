package dev.databasedump.database;

/** The database a dump came from, as written into its metadata. */
public record DatabaseInfo(String name, String serverVersion) {
}
