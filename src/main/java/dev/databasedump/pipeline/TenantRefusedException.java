package dev.databasedump.pipeline;

/**
 * A tenant's dump refused before anything was stored, for a tenant no row can have: an id the tenant columns' type
 * cannot hold ({@code unknown} false: HTTP 400), or one the tenant table has no row for ({@code unknown} true: HTTP
 * 404). A run-once ends with exit code 2, as for a bad setting.
 */
public final class TenantRefusedException extends DumpFailedException {

    private final boolean unknown;

    public TenantRefusedException(String message, boolean unknown, Throwable cause) {
        super(message, cause);
        this.unknown = unknown;
    }

    /** Whether the id is valid but no tenant has it (404), rather than one no tenant could have (400). */
    public boolean unknown() {
        return unknown;
    }
}
