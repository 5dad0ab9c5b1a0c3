package dev.databasedump.document;

import java.util.List;

/**
 * How a dump names its tables under {@code data} and in {@code tables_summary}: with one schema the bare table name,
 * with several {@code schema.table}, which keeps them apart.
 */
public final class TableKeys {

    private final boolean qualified;

    public TableKeys(List<String> schemas) {
        this.qualified = schemas.size() > 1;
    }

    public String of(String schema, String table) {
        return qualified ? schema + "." + table : table;
    }
}
