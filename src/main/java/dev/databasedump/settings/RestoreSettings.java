package dev.databasedump.settings;

import java.util.List;
import java.util.Optional;

/**
 * Where and how a dump is loaded back. The target has keys of its own and no default: a restore can never reach the
 * database the dumps are taken from by accident.
 *
 * @param database       the target ({@code dump.restore.db.url}, {@code .user}, {@code .password}); empty when
 *                       none is configured
 * @param dataSourceBean a DataSource bean to restore into instead ({@code dump.restore.db.data-source}, embedding)
 * @param tables         which of the dump's tables to load ({@code dump.restore.include-tables},
 *                       {@code dump.restore.exclude-tables})
 * @param truncate       empty exactly the tables loaded, in the restore's transaction, instead of requiring them empty
 *                       ({@code dump.restore.truncate})
 * @param httpEnabled    offer restore on the admin HTTP API ({@code dump.restore.http-enabled})
 * @param tenants        how one tenant's data goes into a target that holds other data ({@code dump.restore.tenant},
 *                       {@code .tenant-mode}, {@code .shared-rows}, {@code .dry-run})
 */
public record RestoreSettings(Optional<DatabaseSettings> database, Optional<String> dataSourceBean, TableFilter tables,
        boolean truncate, boolean httpEnabled, TenantImportSettings tenants) {

    public static RestoreSettings load(PropertyLookup properties) {
        SettingValues s = new SettingValues(properties);
        Optional<String> url = s.optional("dump.restore.db.url");
        Optional<DatabaseSettings> database = url.map(value -> new DatabaseSettings("dump.restore.db.url", value,
                s.text("dump.restore.db.user", "postgres"), s.text("dump.restore.db.password", "")));
        return new RestoreSettings(database, s.optional("dump.restore.db.data-source"),
                new TableFilter(s.list("dump.restore.include-tables", ""), s.list("dump.restore.exclude-tables", "")),
                s.bool("dump.restore.truncate", false), s.bool("dump.restore.http-enabled", false),
                TenantImportSettings.load(s));
    }

    /** Whether a target is configured at all. */
    public boolean configured() {
        return database.isPresent() || dataSourceBean.isPresent();
    }

    /** Fails naming the key to set when no target is configured. */
    public void requireTarget() {
        if (!configured()) {
            throw new InvalidSettingException("dump.restore.db.url", "a restore needs its target database: set"
                    + " dump.restore.db.url (with dump.restore.db.user and dump.restore.db.password), or"
                    + " dump.restore.db.data-source when embedded; it is never the database dumps are taken from");
        }
    }

    /** Secrets of the target, never to be logged. */
    public List<String> secrets() {
        return database.map(db -> List.of(db.password())).orElse(List.of());
    }
}
