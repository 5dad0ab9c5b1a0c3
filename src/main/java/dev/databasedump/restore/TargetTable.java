package dev.databasedump.restore;

import dev.databasedump.database.Identifiers;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A table of the target that rows of the dump go into, with how the server reads each of them from its JSON.
 *
 * @param dumpKey  the table's key in the dump
 * @param schema   its schema in the target
 * @param name     its name in the target
 * @param oid      its object id in the target
 * @param columns  the target's columns the dump's rows fill, in the dump's column order
 */
record TargetTable(String dumpKey, String schema, String name, long oid, List<TargetColumn> columns) {

    TargetTable {
        columns = List.copyOf(columns);
    }

    String qualified() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(name);
    }

    String displayName() {
        return schema + "." + name;
    }

    /**
     * Moves the staged rows into the table, each converted by the server from its JSON with the table's own column
     * types (json_to_record). Generated columns are left to the table; identity columns take the dump's values;
     * columns the dump does not have take their defaults. The staged rows are scanned in the order they were staged (a
     * temporary table is never read in parallel nor with a synchronised scan), so the table gets them in the dump's
     * order.
     *
     * @param into the table itself, or a tenant import's staging copy of it
     */
    String insertFromStaging(String staging, String into) {
        List<TargetColumn> loaded = columns.stream().filter(column -> !column.generated()).toList();
        // json_to_record converts exactly the columns listed, each to the target's own type.
        List<TargetColumn> viaRecord = loaded.stream().filter(column -> column.reading() == Reading.RECORD
                || column.reading() == Reading.JSONB).toList();
        return "INSERT INTO " + into + " ("
                + loaded.stream().map(column -> Identifiers.quote(column.name())).collect(Collectors.joining(", "))
                + ") OVERRIDING SYSTEM VALUE SELECT "
                + loaded.stream().map(TargetColumn::valueFrom).collect(Collectors.joining(", "))
                + " FROM " + staging + " AS s"
                + (viaRecord.isEmpty() ? "" : ", json_to_record(s.j) AS r(" + viaRecord.stream()
                        .map(column -> Identifiers.quote(column.name()) + " " + column.type())
                        .collect(Collectors.joining(", ")) + ")");
    }

    /**
     * Copies the rows of {@code rows} (a relation with the table's columns, such as a tenant import's planned rows)
     * into the table: the dump's columns, identity values kept, generated ones left to the table.
     */
    String insertFrom(String rows) {
        String loaded = columns.stream().filter(column -> !column.generated())
                .map(column -> Identifiers.quote(column.name())).collect(Collectors.joining(", "));
        return "INSERT INTO " + qualified() + " (" + loaded + ") OVERRIDING SYSTEM VALUE SELECT " + loaded + " FROM "
                + rows;
    }

    /**
     * One column of the target and how its value is read back.
     *
     * @param name      its name
     * @param type      its type as {@code format_type} writes it
     * @param generated a generated column: its value is the table's to compute
     * @param reading   how the server turns the row's JSON into the column's value
     * @param typeSchema schema of the column's type, for a conversion function that lives beside it
     */
    record TargetColumn(String name, String type, boolean generated, Reading reading, String typeSchema) {

        /**
         * The value for the INSERT, from the staged row {@code s.j}, its record {@code r}, and {@code s.n}, the json
         * and jsonb columns where the row holds JSON null rather than NULL (which its JSON writes alike).
         */
        String valueFrom() {
            String field = "s.j -> " + Identifiers.literal(name);
            String jsonNull = "s.n IS NOT NULL AND s.n::jsonb ? " + Identifiers.literal(name);
            return switch (reading) {
                // Read through a record type, json loses its text (escapes, spacing): its bytes are taken as they are.
                // A null is NULL, unless the dump lists the row's as JSON null.
                case JSON_TEXT -> "CASE WHEN " + jsonNull + " THEN 'null'::" + type + " ELSE nullif((" + field
                        + ")::text, 'null')::" + type + " END";
                // json_to_record reads a null as NULL.
                case JSONB -> "CASE WHEN " + jsonNull + " THEN 'null'::" + type + " ELSE r." + Identifiers.quote(name)
                        + " END";
                // to_json writes hstore as an object, which hstore's own input cannot read back.
                case HSTORE_OBJECT -> "CASE WHEN json_typeof(" + field + ") = 'object' THEN (SELECT "
                        + Identifiers.quote(typeSchema) + ".hstore(coalesce(array_agg(e.key), '{}'),"
                        + " coalesce(array_agg(e.value), '{}')) FROM json_each_text(" + field + ") AS e) END";
                case RECORD -> "r." + Identifiers.quote(name);
            };
        }
    }

    /** How a column's value comes back from its JSON. */
    enum Reading {
        /** As a field of the table's record type: every type whose JSON is its text or a JSON value it reads. */
        RECORD,
        /** The JSON text itself: json, and domains over json. */
        JSON_TEXT,
        /** As a record's field, JSON null where the dump lists it: jsonb, and domains over jsonb. */
        JSONB,
        /** An hstore, from the object to_json made of it. */
        HSTORE_OBJECT
    }
}
