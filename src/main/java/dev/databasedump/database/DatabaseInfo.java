package dev.databasedump.database;

/**
 * The database a dump came from, as written into its metadata (its name and server version), and the role that read
 * it, for the advice a warning gives.
 */
public record DatabaseInfo(String name, String serverVersion, String role) {
}
