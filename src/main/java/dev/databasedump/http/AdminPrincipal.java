package dev.databasedump.http;

/** An authenticated admin, as written to the audit log and to a dump's {@code triggered_by}. */
public record AdminPrincipal(String subject, String email) {
}
