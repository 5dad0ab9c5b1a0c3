package dev.databasedump.rounds;

import dev.databasedump.schedule.ScheduleSettings;
import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.settings.PropertyLookup;
import dev.databasedump.settings.SettingValues;
import dev.databasedump.settings.TenantSettings;

import java.util.Optional;

/**
 * Rounds of tenant dumps: every tenant's own dump once per period.
 *
 * @param scheduled    whether the application runs a round each period ({@code dump.tenant.schedule.enabled})
 * @param schedule     the periods ({@code dump.tenant.schedule.period}, counted from {@code dump.tenant.schedule.time}
 *                     UTC, like the full dump's); a run-once round ({@code DUMP_TENANT=all}) skips the tenants dumped
 *                     since the current one began too
 * @param tenantsQuery the platform's own list of tenants ({@code dump.tenant.schedule.tenants-query}), its first column
 *                     the ids as the database writes them; else the tenant table's rows, or the tenant column's values
 */
public record TenantRoundSettings(boolean scheduled, ScheduleSettings schedule, Optional<String> tenantsQuery) {

    public static TenantRoundSettings load(PropertyLookup properties, TenantSettings tenants) {
        SettingValues s = new SettingValues(properties);
        boolean scheduled = s.bool("dump.tenant.schedule.enabled", false);
        if (scheduled && !tenants.enabled()) {
            throw new InvalidSettingException("dump.tenant.schedule.enabled", "rounds of tenant dumps need"
                    + " dump.tenant.column, which names each row's tenant");
        }
        return new TenantRoundSettings(scheduled, ScheduleSettings.load(properties, "dump.tenant.schedule."),
                s.optional("dump.tenant.schedule.tenants-query"));
    }
}
