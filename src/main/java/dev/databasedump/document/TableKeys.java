package dev.databasedump.document;

import java.util.List;

/**
 * How a dump names its tables under {@code data} and in {@code tables_summary}: with one schema the bare table name,
 * with several {@code schema.table}, which keeps them apart.
 */
public final class TableKeys {

    private final List<String> schemas;

    public TableKeys(List<String> schemas) {
        this.schemas = List.copyOf(schemas);
    }

    public String of(String schema, String table) {
        return schemas.size() > 1 ? schema + "." + table : table;
    }

    /** The schema and the name a key stands for (either may hold dots: the dump's schemas tell them apart). */
    public Name parse(String key) {
        if (schemas.size() == 1) {
            return new Name(schemas.get(0), key);
        }
        return schemas.stream().filter(schema -> key.startsWith(schema + "."))
                .max(java.util.Comparator.comparingInt(String::length))
                .map(schema -> new Name(schema, key.substring(schema.length() + 1)))
                .orElseThrow(() -> new IllegalArgumentException(key + " names none of the schemas " + schemas));
    }

    /** A table or sequence, by schema and name. */
    public record Name(String schema, String name) {
    }
}
