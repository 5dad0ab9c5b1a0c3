package dev.databasedump.restore;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a finished restore reports: which dump went where, and what it loaded.
 *
 * @param database    the target database
 * @param sequences   sequences set to where the dump found them
 * @param foreignKeys foreign keys of the restored tables checked before the commit
 * @param triggers    how triggers were kept off the restored rows: "replica" or "owner"
 * @param sha256      of the stored dump, equal to its checksum file's
 * @param tenantImport for one tenant's data: the tenant, the mode, and per table the rows deleted, inserted and kept
 */
@JsonPropertyOrder({"bucket", "key", "database", "tables", "rows", "sequences", "foreign_keys", "truncated",
        "triggers", "sha256", "duration_ms", "tenant_import"})
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record RestoreSummary(
        @JsonProperty("bucket") String bucket,
        @JsonProperty("key") String key,
        @JsonProperty("database") String database,
        @JsonProperty("tables") int tables,
        @JsonProperty("rows") long rows,
        @JsonProperty("sequences") int sequences,
        @JsonProperty("foreign_keys") int foreignKeys,
        @JsonProperty("truncated") boolean truncated,
        @JsonProperty("triggers") String triggers,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("duration_ms") long durationMs,
        @JsonProperty("tenant_import") ImportPlan tenantImport) {
}
