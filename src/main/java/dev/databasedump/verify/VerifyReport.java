package dev.databasedump.verify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/**
 * What a verification found: the verdict ({@code ok}), the stored bytes against their checksum file, and every table
 * against its summary; {@code problem} is the first thing found wrong, naming the table where there is one.
 *
 * @param sha256         of the stored bytes, as read back
 * @param sha256Expected what {@code <key>.sha256} says; null when that file is missing
 * @param encrypted      whether the dump is encrypted to age recipients
 * @param documentChecked false when it is encrypted and no identity was given: only the SHA-256 was checked
 * @param tables         per table of {@code tables_summary}: the rows read, the rows expected, whether all is well
 * @param references     a tenant dump's foreign keys, each value checked to resolve inside the document; absent from
 *                       a full dump's report
 */
@JsonPropertyOrder({"key", "ok", "size_bytes", "sha256", "sha256_expected", "sha256_ok", "encrypted",
        "document_checked", "format_version",
        "exported_at", "total_rows", "tables", "references", "problem"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record VerifyReport(
        @JsonProperty("key") String key,
        @JsonProperty("ok") boolean ok,
        @JsonProperty("size_bytes") long sizeBytes,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("sha256_expected") String sha256Expected,
        @JsonProperty("sha256_ok") boolean sha256Ok,
        @JsonProperty("encrypted") boolean encrypted,
        @JsonProperty("document_checked") boolean documentChecked,
        @JsonProperty("format_version") Integer formatVersion,
        @JsonProperty("exported_at") String exportedAt,
        @JsonProperty("total_rows") long totalRows,
        @JsonProperty("tables") Map<String, TableCheck> tables,
        @JsonProperty("references") References references,
        @JsonProperty("problem") String problem) {

    /**
     * A tenant dump's referential completeness: every foreign-key value among its tables resolves to a row in it.
     *
     * @param foreignKeys the foreign keys checked
     * @param checked     the non-NULL values checked
     * @param unresolved  those that resolve to no row of the document, and that the metadata does not declare
     * @param declared    those that resolve to no row as the metadata declares: references to other tenants' rows,
     *                    exported with {@code dump.tenant.cross-references=report}; they do not fail the verdict
     * @param byKey       unresolved values per foreign key
     */
    @JsonPropertyOrder({"foreign_keys", "checked", "unresolved", "declared_dangling", "ok", "by_key"})
    public record References(@JsonProperty("foreign_keys") int foreignKeys, @JsonProperty("checked") long checked,
            @JsonProperty("unresolved") long unresolved, @JsonProperty("declared_dangling") long declared,
            @JsonProperty("by_key") Map<String, Long> byKey) {

        @JsonProperty("ok")
        public boolean ok() {
            return unresolved == 0;
        }
    }

    /** One table's result. */
    @JsonPropertyOrder({"rows", "expected_rows", "ok"})
    public record TableCheck(@JsonProperty("rows") long rows, @JsonProperty("expected_rows") long expectedRows,
            @JsonProperty("ok") boolean ok) {
    }
}
