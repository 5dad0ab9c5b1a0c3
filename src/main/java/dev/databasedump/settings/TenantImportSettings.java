package dev.databasedump.settings;

import java.util.Locale;
import java.util.Optional;

/**
 * How a restore takes one tenant's data into a database that holds other data: a tenant dump, or one tenant's scope out
 * of a full dump.
 *
 * @param tenant     the tenant to take out of a full dump ({@code dump.restore.tenant}); a tenant dump names its own
 * @param mode       {@code insert}: the tenant must not be in the target yet; {@code replace}: its rows there are
 *                   deleted first ({@code dump.restore.tenant-mode})
 * @param sharedRows a shared row (a parent the tenant's rows name, without the tenant column) that the target holds
 *                   with other content: {@code refuse} the restore, or {@code keep-target}
 *                   ({@code dump.restore.shared-rows})
 * @param dryRun     run every check and the whole load, report, and roll back ({@code dump.restore.dry-run})
 */
public record TenantImportSettings(Optional<String> tenant, Mode mode, SharedRows sharedRows, boolean dryRun) {

    /** What happens to the tenant's rows already in the target. */
    public enum Mode { INSERT, REPLACE }

    /** What happens when a shared row differs from the target's. */
    public enum SharedRows { REFUSE, KEEP_TARGET }

    static TenantImportSettings load(SettingValues s) {
        return new TenantImportSettings(s.optional("dump.restore.tenant"),
                mode("dump.restore.tenant-mode", s.text("dump.restore.tenant-mode", "insert")),
                sharedRows("dump.restore.shared-rows", s.text("dump.restore.shared-rows", "refuse")),
                s.bool("dump.restore.dry-run", false));
    }

    /** These settings, with what one request asked for instead (an HTTP restore's parameters); null keeps a setting. */
    public TenantImportSettings with(String tenant, String mode, String sharedRows, Boolean dryRun) {
        return new TenantImportSettings(tenant != null ? Optional.of(tenant) : this.tenant,
                mode != null ? mode("tenant-mode", mode) : this.mode,
                sharedRows != null ? sharedRows("shared-rows", sharedRows) : this.sharedRows,
                dryRun != null ? dryRun : this.dryRun);
    }

    public static Mode mode(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "insert" -> Mode.INSERT;
            case "replace" -> Mode.REPLACE;
            default -> throw new InvalidSettingException(key, "expected insert or replace, got '" + value + "'");
        };
    }

    public static SharedRows sharedRows(String key, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "refuse" -> SharedRows.REFUSE;
            case "keep-target" -> SharedRows.KEEP_TARGET;
            default -> throw new InvalidSettingException(key, "expected refuse or keep-target, got '" + value + "'");
        };
    }
}
