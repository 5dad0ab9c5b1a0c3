package dev.databasedump.database;

import dev.databasedump.settings.TableFilter;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Lists the tables of a dump: ordinary and partitioned tables of the chosen schemas, never partitions on their own
 * (their rows come through the parent), views, materialized views or foreign tables. Reads the system catalogs only:
 * nothing here locks or sizes a table, so a table that another session holds, or that the filters leave out, cannot
 * delay or fail this step (the dump then locks its own tables one by one, naming any it cannot have).
 */
public final class TableCatalog {

    // Partitioned parents (relkind 'p') read all their partitions' rows; partitions themselves are skipped.
    private static final String TABLES = """
            SELECT n.nspname, c.relname,
                   (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS column_names,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM pg_index i
                      CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE i.indrelid = c.oid AND i.indisprimary) AS primary_key,
                   (SELECT array_agg(a.atttypid::regtype::text)
                      FROM pg_index i
                      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                     WHERE i.indrelid = c.oid AND i.indisprimary) AS key_types,
                   c.oid,
                   (SELECT array_agg(format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum) FROM pg_attribute a
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS column_types,
                   (SELECT array_agg(CASE coalesce(nullif(t.typbasetype, 0), t.oid)
                                     WHEN 'json'::regtype THEN 'json' WHEN 'jsonb'::regtype THEN 'jsonb' END
                           ORDER BY a.attnum)
                      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
                     WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS column_is_json
              FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname = ANY (?)
             ORDER BY array_position(?, n.nspname::text), c.relname
            """;

    private static final Set<String> INTEGER_TYPES = Set.of("smallint", "integer", "bigint");

    private final List<String> schemas;
    private final TableFilter filter;

    public TableCatalog(List<String> schemas, TableFilter filter) {
        this.schemas = List.copyOf(schemas);
        this.filter = filter;
    }

    /** The chosen schemas that do not exist, in the order they were named. */
    public List<String> missingSchemas(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT s FROM unnest(?::text[]) WITH ORDINALITY AS n(s, i)"
                        + " WHERE NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = n.s) ORDER BY n.i")) {
            statement.setArray(1, connection.createArrayOf("text", schemas.toArray()));
            List<String> missing = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    missing.add(rs.getString(1));
                }
            }
            return missing;
        }
    }

    public List<DumpTable> list(Connection connection) throws SQLException {
        Array schemaArray = connection.createArrayOf("text", schemas.toArray());
        try (PreparedStatement statement = connection.prepareStatement(TABLES)) {
            statement.setArray(1, schemaArray);
            statement.setArray(2, schemaArray);
            List<DumpTable> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    String schema = rs.getString(1);
                    String name = rs.getString(2);
                    if (filter.accepts(schema, name)) {
                        List<String> keyTypes = strings(rs.getArray(5));
                        tables.add(new DumpTable(schema, name, columns(strings(rs.getArray(3)),
                                strings(rs.getArray(7)), strings(rs.getArray(8))), strings(rs.getArray(4)),
                                keyTypes.size() == 1 && INTEGER_TYPES.contains(keyTypes.get(0)), rs.getLong(6)));
                    }
                }
            }
            return tables;
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static List<DumpTable.Column> columns(List<String> names, List<String> types, List<String> json) {
        List<DumpTable.Column> columns = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            columns.add(new DumpTable.Column(names.get(i), types.get(i), json.get(i)));
        }
        return columns;
    }
}
