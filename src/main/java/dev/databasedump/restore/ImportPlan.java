package dev.databasedump.restore;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.databasedump.settings.TenantImportSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a tenant import did, or (dry run) would do: per table the rows deleted (the tenant's rows a replace changes or
 * removes), inserted, unchanged (the tenant's rows a replace found as the dump has them, left in place) and kept
 * (shared rows the target holds already), and every refusal (a key that collides with another
 * tenant's row, a shared row that differs). The restore's summary carries it as {@code tenant_import}.
 */
@JsonPropertyOrder({"tenant", "mode", "shared_rows", "dry_run", "tables", "refused"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
final class ImportPlan {

    /** Refusals listed, at most. */
    static final int LISTED = 20;

    private final String tenant;
    private final TenantImportSettings settings;
    private final Map<String, Counts> tables = new LinkedHashMap<>();
    private final List<String> refused = new ArrayList<>();

    ImportPlan(String tenant, TenantImportSettings settings) {
        this.tenant = tenant;
        this.settings = settings;
    }

    /** One table's rows. */
    @JsonPropertyOrder({"deleted", "inserted", "unchanged", "kept"})
    static final class Counts {
        @JsonProperty("deleted") long deleted;
        @JsonProperty("inserted") long inserted;
        /** The tenant's rows a replace found as the dump has them, and left in place. */
        @JsonProperty("unchanged") long unchanged;
        /** Shared rows the target holds, kept as they are. */
        @JsonProperty("kept") long kept;
    }

    void deleted(String table, long rows) {
        counts(table).deleted += rows;
    }

    void inserted(String table, long rows) {
        counts(table).inserted += rows;
    }

    void unchanged(String table, long rows) {
        counts(table).unchanged += rows;
    }

    void kept(String table, long rows) {
        counts(table).kept += rows;
    }

    void refuse(String refusal) {
        if (refused.size() < LISTED) {
            refused.add(refusal);
        }
    }

    private Counts counts(String table) {
        return tables.computeIfAbsent(table, t -> new Counts());
    }

    @JsonProperty("tenant")
    String tenant() {
        return tenant;
    }

    @JsonProperty("mode")
    String mode() {
        return settings.mode().name().toLowerCase(Locale.ROOT);
    }

    @JsonProperty("shared_rows")
    String sharedRows() {
        return settings.sharedRows().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonProperty("dry_run")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    boolean dryRun() {
        return settings.dryRun();
    }

    @JsonProperty("tables")
    Map<String, Counts> tables() {
        return tables;
    }

    @JsonProperty("refused")
    List<String> refused() {
        return refused;
    }

    /** The dump's rows now in the target, in every table: inserted, or found there unchanged. */
    long restoredRows() {
        return tables.values().stream().mapToLong(counts -> counts.inserted + counts.unchanged).sum();
    }

    /** The refusals in one line: the first, and how many more. */
    String refusal() {
        return refused.get(0) + (refused.size() > 1 ? "; and " + (refused.size() - 1) + " more refusal"
                + (refused.size() > 2 ? "s" : "") : "");
    }
}
