package dev.databasedump.http;

/**
 * Who called the API, as written to the audit log and to a dump's {@code triggered_by}: a platform admin (any tenant,
 * every full dump, verify, restore), or a tenant admin, who may export {@code tenant}'s data and nothing else.
 *
 * @param tenant the tenant a tenant admin administers; null for a platform admin
 */
public record AdminPrincipal(String subject, String email, String tenant) {

    public boolean platformAdmin() {
        return tenant == null;
    }
}
