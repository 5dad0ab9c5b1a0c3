package dev.databasedump.scope;

import dev.databasedump.database.StepFailedException;

/**
 * A tenant dump asked for a tenant that cannot be dumped: an id no column naming tenants can hold ({@code abc} for a
 * bigint), or one the tenant table has no row for. The caller's mistake, not a failure: HTTP answers 400 or 404, a
 * run-once ends with exit code 2, and nothing is stored.
 */
public final class TenantRefusal extends StepFailedException {

    private final boolean unknown;

    private TenantRefusal(String problem, boolean unknown) {
        super("checking the tenant", problem);
        this.unknown = unknown;
    }

    static TenantRefusal invalid(String problem) {
        return new TenantRefusal(problem, false);
    }

    static TenantRefusal unknown(String problem) {
        return new TenantRefusal(problem, true);
    }

    /** Whether the id is a valid one that no tenant has (else no tenant could have it). */
    public boolean unknown() {
        return unknown;
    }
}
