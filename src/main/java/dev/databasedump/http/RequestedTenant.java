package dev.databasedump.http;

import dev.databasedump.database.StepFailedException;
import dev.databasedump.scope.TenantDirectory;
import dev.databasedump.scope.TenantRefusal;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which tenant a request is about: {@code ?tenant=} for a platform admin (none: the full dumps), a tenant admin's own
 * (another is refused before anything is looked up), checked against the database and named as it writes the id, so
 * that {@code 01} and {@code 1} are one tenant's dumps.
 */
final class RequestedTenant {

    private static final Logger LOG = LoggerFactory.getLogger(RequestedTenant.class);

    private final TenantDirectory tenants;

    /** @param tenants where tenants are checked; null when tenant dumps are not configured */
    RequestedTenant(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    boolean enabled() {
        return tenants != null;
    }

    /** The tenant a dump or a listing is of, as asked; null for the full dumps. */
    String of(ApiRequest request, AdminPrincipal admin) {
        String tenant = admin.platformAdmin() ? request.tenant().orElse(null) : request.tenant().orElse(admin.tenant());
        if (!admin.platformAdmin() && !tenant.equals(admin.tenant())) {
            throw ApiException.forbidden("a tenant admin may reach their own tenant's dumps only");
        }
        if (tenant != null && tenants == null) {
            throw ApiException.badRequest("tenant_dumps_off", "tenant dumps are off: set dump.tenant.column");
        }
        return tenant;
    }

    /** The tenant a dump is asked of, checked before a job starts: an id no tenant can have is 400, one no tenant has 404. */
    String toDump(ApiRequest request, AdminPrincipal admin) {
        String tenant = of(request, admin);
        if (tenant == null) {
            return null;
        }
        try {
            return tenants.canonical(tenant);
        } catch (TenantRefusal refused) {
            throw refusal(refused.getMessage(), refused.unknown());
        } catch (StepFailedException e) {
            // The dump itself will say what is wrong with the database, in its one line.
            LOG.debug("Could not check tenant {} before its dump: {}", tenant, e.getMessage());
            return tenant;
        }
    }

    /**
     * A tenant's dumps are filed under the id as the database writes it (a UUID in lower case); a tenant table that
     * no longer has the tenant still lists its dumps. Without the database, the id as it was given.
     */
    String written(String tenant) {
        if (tenant == null) {
            return null;
        }
        try {
            return tenants.written(tenant);
        } catch (TenantRefusal refused) {
            throw refusal(refused.getMessage(), false);
        } catch (StepFailedException e) {
            LOG.debug("Could not check tenant {}: {}", tenant, e.getMessage());
            return tenant;
        }
    }

    static ApiException refusal(String message, boolean unknown) {
        return unknown ? new ApiException(404, "unknown_tenant", message, Map.of())
                : ApiException.badRequest("invalid_tenant", message);
    }
}
