package dev.databasedump.document;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * {@code metadata.scope} of a tenant dump: whose data it holds and how every table came to be in it, or why not.
 *
 * @param tenantColumn     the column that names a row's tenant ({@code dump.tenant.column})
 * @param tenantTable      the tenants' own table, by its key in the dump; absent when there is none
 * @param tenant           the tenant the dump holds
 * @param tables           per table in the document, how its rows were reached: {@code tenant column tenant_id},
 *                         {@code tenant table (the tenant's own row)}, {@code referencing cases through
 *                         documents_case_id_fkey} (a child of the tenant's rows), {@code referenced by cases through
 *                         cases_created_by_fkey} (a parent a row in the document references)
 * @param leftOut          the tables of the dump's schemas that are not in the document, and why
 * @param foreignKeys      the foreign keys among the tables in the document, which verify checks resolve inside it
 * @param crossReferences  rows of the tenant's that reference another tenant's row
 *                         ({@code dump.tenant.cross-references=report}), at most 1,000 listed
 * @param crossReferencesTotal how many there are in all
 */
@JsonPropertyOrder({"tenant_column", "tenant_table", "tenant", "tables", "left_out", "foreign_keys",
        "cross_references", "cross_references_total"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScopeMetadata(
        @JsonProperty("tenant_column") String tenantColumn,
        @JsonProperty("tenant_table") String tenantTable,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("tables") Map<String, List<String>> tables,
        @JsonProperty("left_out") List<LeftOut> leftOut,
        @JsonProperty("foreign_keys") List<Reference> foreignKeys,
        @JsonProperty("cross_references") List<CrossReference> crossReferences,
        @JsonProperty("cross_references_total") Long crossReferencesTotal) {

    /** A table of the schemas that is not in the document. */
    @JsonPropertyOrder({"table", "reason"})
    public record LeftOut(@JsonProperty("table") String table, @JsonProperty("reason") String reason) {
    }

    /** A foreign key between two tables of the document: {@code columns} of {@code table} reference {@code
     * referencedColumns} of {@code references}. */
    @JsonPropertyOrder({"name", "table", "columns", "references", "referenced_columns"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Reference(@JsonProperty("name") String name, @JsonProperty("table") String table,
            @JsonProperty("columns") List<String> columns, @JsonProperty("references") String references,
            @JsonProperty("referenced_columns") List<String> referencedColumns) {
    }

    /**
     * A row of the tenant's ({@code key}: its primary key, or its referencing columns where it has none) that
     * references, through {@code foreignKey}, a row of {@code references} that is another tenant's ({@code value}: its
     * referencing columns).
     */
    @JsonPropertyOrder({"table", "foreign_key", "key", "references", "value"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CrossReference(@JsonProperty("table") String table, @JsonProperty("foreign_key") String foreignKey,
            @JsonProperty("key") com.fasterxml.jackson.databind.JsonNode key,
            @JsonProperty("references") String references,
            @JsonProperty("value") com.fasterxml.jackson.databind.JsonNode value) {
    }
}
