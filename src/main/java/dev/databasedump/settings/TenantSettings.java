package dev.databasedump.settings;

import java.util.Locale;
import java.util.Optional;

/**
 * How one tenant's rows are told apart in a multi-tenant schema, for tenant-scoped dumps.
 *
 * @param column          the column that names a row's tenant in the tables that have it ({@code dump.tenant.column},
 *                        e.g. {@code tenant_id}); empty turns tenant dumps off
 * @param table           the tenants' own table, keyed by the tenant id ({@code dump.tenant.table}, e.g.
 *                        {@code tenants} or {@code public.tenants}); optional
 * @param crossReferences what a row of the tenant's that references another tenant's row does to the dump
 *                        ({@code dump.tenant.cross-references}): fail it, naming the row, or export the row and list
 *                        every such reference in the metadata
 * @param maxConcurrent   tenant dumps this process runs at once ({@code dump.tenant.max-concurrent})
 */
public record TenantSettings(Optional<String> column, Optional<String> table, CrossReferences crossReferences,
        int maxConcurrent) {

    /** What a reference from the tenant's rows to another tenant's row does. */
    public enum CrossReferences { FAIL, REPORT }

    public TenantSettings {
        if (table.isPresent() && column.isEmpty()) {
            throw new InvalidSettingException("dump.tenant.table", "needs dump.tenant.column, which names the tenant"
                    + " in every other table");
        }
        if (maxConcurrent < 1) {
            throw new InvalidSettingException("dump.tenant.max-concurrent", "must be at least 1, got " + maxConcurrent);
        }
    }

    static TenantSettings load(SettingValues s) {
        String crossReferences = s.text("dump.tenant.cross-references", "fail");
        CrossReferences mode;
        try {
            mode = CrossReferences.valueOf(crossReferences.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("dump.tenant.cross-references", "expected fail or report, got '"
                    + crossReferences + "'");
        }
        return new TenantSettings(s.optional("dump.tenant.column"), s.optional("dump.tenant.table"), mode,
                (int) s.longNumber("dump.tenant.max-concurrent", 2));
    }

    /** Whether tenant dumps are configured at all. */
    public boolean enabled() {
        return column.isPresent();
    }

    /** Fails naming the setting when tenant dumps are asked for but not configured. */
    public void requireEnabled() {
        if (!enabled()) {
            throw new InvalidSettingException("dump.tenant.column", "a tenant dump needs the column that names each"
                    + " row's tenant (e.g. tenant_id)");
        }
    }
}
