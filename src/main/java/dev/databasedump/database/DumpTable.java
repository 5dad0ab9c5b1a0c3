package dev.databasedump.database;

import java.util.List;

/**
 * One table to dump, as the catalog described it inside the snapshot.
 *
 * @param schema     its schema
 * @param name       its name
 * @param columns    its live columns, in order
 * @param primaryKey primary-key columns in key order; empty when the table has none
 * @param integerKey the primary key is one smallint, integer or bigint column, so the table can be read in key ranges
 * @param oid        its object id, to size it once the dump holds its lock
 */
public record DumpTable(String schema, String name, List<Column> columns, List<String> primaryKey,
        boolean integerKey, long oid) {

    public DumpTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /**
     * A column as the catalog describes it: its name and its type as {@code format_type} writes it.
     *
     * @param jsonType {@code json} or {@code jsonb} for a column of either (or of a domain over one), whose JSON null
     *                 {@code to_json} writes as it writes an SQL NULL; null for any other type
     */
    public record Column(String name, String type, String jsonType) {

        public Column(String name, String type) {
            this(name, type, null);
        }

        public boolean json() {
            return jsonType != null;
        }
    }

    /** Whether a column of the table can hold JSON null, which the document alone cannot tell from NULL. */
    public boolean hasJsonColumns() {
        return columns.stream().anyMatch(Column::json);
    }

    /** {@code "schema"."table"}, safe for any name. */
    public String qualifiedIdentifier() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    /** Whether the table has a live column of this name. */
    public boolean hasColumn(String column) {
        return columns.stream().anyMatch(c -> c.name().equals(column));
    }

    /** {@code schema.table} as people write it, for logs and errors. */
    public String displayName() {
        return schema + "." + name;
    }
}
