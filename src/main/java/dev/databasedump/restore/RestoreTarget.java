package dev.databasedump.restore;

import dev.databasedump.restore.TargetTable.Reading;
import dev.databasedump.restore.TargetTable.TargetColumn;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The target database as a restore sees it, checked before anything is written: every table of the dump is there
 * (an ordinary or a partitioned table, loaded through the parent), with every column of the dump, of the same type,
 * and each value can be read back from its JSON. Everything found missing or different is named at once.
 */
final class RestoreTarget {

    private static final String RELATION = """
            SELECT c.oid, c.relkind, c.relispartition
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = ? AND c.relname = ?
            """;

    // How to_json writes each column, and so how it reads back: json as its own text, hstore as an object, a type
    // with a cast to json of its own (PostGIS geometry, say) as whatever that cast makes, which nothing reads back.
    private static final String COLUMNS = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attgenerated <> '',
                   coalesce(nullif(t.typbasetype, 0), t.oid) = 'json'::regtype AS is_json,
                   bt.typname = 'hstore' AS is_hstore, btn.nspname,
                   coalesce(nullif(t.typbasetype, 0), t.oid) = 'jsonb'::regtype AS is_jsonb,
                   EXISTS (SELECT 1 FROM pg_cast k
                            WHERE k.castsource IN (bt.oid, coalesce(nullif(bt.typelem, 0), bt.oid))
                              AND k.casttarget IN ('json'::regtype, 'jsonb'::regtype) AND k.castmethod = 'f'
                              AND k.castsource >= 16384) AS own_json_cast
              FROM pg_attribute a
              JOIN pg_type t ON t.oid = a.atttypid
              JOIN pg_type bt ON bt.oid = coalesce(nullif(t.typbasetype, 0), t.oid)
              JOIN pg_namespace btn ON btn.oid = bt.typnamespace
             WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum
            """;

    private final Connection connection;
    private final List<String> problems = new ArrayList<>();

    RestoreTarget(Connection connection) {
        this.connection = connection;
    }

    /**
     * The target table for each table of the dump to load, in the dump's order; {@code columnTypes} per table is null
     * for a format-1 dump, whose columns are then checked when its first row arrives.
     *
     * @throws RestoreRefusedException naming everything missing or different
     */
    List<TargetTable> resolve(Map<String, DumpTableName> tables, Map<String, Map<String, String>> columnTypes)
            throws SQLException, RestoreRefusedException {
        List<TargetTable> resolved = new ArrayList<>();
        for (Map.Entry<String, DumpTableName> table : tables.entrySet()) {
            DumpTableName name = table.getValue();
            Long oid = relation(name);
            if (oid == null) {
                continue;
            }
            Map<String, TargetColumn> columns = columns(oid);
            Map<String, String> expected = columnTypes.get(table.getKey());
            resolved.add(new TargetTable(table.getKey(), name.schema(), name.name(), oid,
                    expected == null ? List.copyOf(columns.values()) : matching(name, expected, columns)));
        }
        refuseIfProblems();
        return resolved;
    }

    /** For a format-1 dump: the target's columns in the order of a table's first row, or a refusal naming the rest. */
    TargetTable withColumns(TargetTable table, List<String> dumpColumns) throws SQLException, RestoreRefusedException {
        Map<String, TargetColumn> columns = columns(table.oid());
        List<TargetColumn> ordered = new ArrayList<>();
        for (String column : dumpColumns) {
            TargetColumn target = columns.get(column);
            if (target == null) {
                problems.add("table " + table.displayName() + " has no column " + column);
            } else {
                ordered.add(target);
            }
        }
        refuseIfProblems();
        return new TargetTable(table.dumpKey(), table.schema(), table.name(), table.oid(), ordered);
    }

    /**
     * The tables that already hold rows, by name; a restore loads only into empty tables unless it truncates. Row
     * security that would filter the role fails here already, naming the table.
     */
    List<String> nonEmpty(List<TargetTable> tables) throws SQLException, RestoreRefusedException {
        List<String> nonEmpty = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            for (TargetTable table : tables) {
                try (ResultSet rs = statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table.qualified() + ")")) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        nonEmpty.add(table.displayName());
                    }
                } catch (SQLException e) {
                    String message = String.valueOf(e.getMessage());
                    int newline = message.indexOf('\n');
                    throw new RestoreRefusedException("restoring table " + table.displayName() + " failed: "
                            + (newline < 0 ? message : message.substring(0, newline)));
                }
            }
        }
        return nonEmpty;
    }

    /** Empties exactly these tables, in the restore's transaction. */
    void truncate(List<TargetTable> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + tables.stream().map(TargetTable::qualified)
                    .collect(Collectors.joining(", ")));
        }
    }

    private Long relation(DumpTableName name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(RELATION)) {
            statement.setString(1, name.schema());
            statement.setString(2, name.name());
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    problems.add("table " + name.display() + " does not exist in the target");
                    return null;
                }
                String kind = rs.getString(2);
                if (!kind.equals("r") && !kind.equals("p") || rs.getBoolean(3)) {
                    problems.add(name.display() + " in the target is not a table the dump can load into");
                    return null;
                }
                return rs.getLong(1);
            }
        }
    }

    private Map<String, TargetColumn> columns(long oid) throws SQLException {
        Map<String, TargetColumn> columns = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setLong(1, oid);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Reading reading = rs.getBoolean(4) ? Reading.JSON_TEXT : rs.getBoolean(7) ? Reading.JSONB
                            : rs.getBoolean(5) ? Reading.HSTORE_OBJECT : rs.getBoolean(8) ? null : Reading.RECORD;
                    columns.put(rs.getString(1), new TargetColumn(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                            reading, rs.getString(6)));
                }
            }
        }
        return columns;
    }

    private List<TargetColumn> matching(DumpTableName table, Map<String, String> expected,
            Map<String, TargetColumn> columns) {
        List<TargetColumn> matched = new ArrayList<>();
        for (Map.Entry<String, String> column : expected.entrySet()) {
            TargetColumn target = columns.get(column.getKey());
            String where = "column " + column.getKey() + " of " + table.display();
            if (target == null) {
                problems.add("table " + table.display() + " has no column " + column.getKey());
            } else if (!target.type().equals(column.getValue())) {
                problems.add(where + " is " + column.getValue() + " in the dump but " + target.type()
                        + " in the target");
            } else if (target.reading() == null && !target.generated()) {
                problems.add(where + " has type " + target.type() + ", which to_json writes through a cast of the"
                        + " type's own: a restore cannot read it back");
            } else {
                matched.add(target);
            }
        }
        return matched;
    }

    private void refuseIfProblems() throws RestoreRefusedException {
        if (!problems.isEmpty()) {
            String found = String.join("; ", problems);
            problems.clear();
            throw new RestoreRefusedException("the target does not match the dump: " + found);
        }
    }

    /** A table of the dump, named as the target is searched for it. */
    record DumpTableName(String schema, String name) {
        String display() {
            return schema + "." + name;
        }
    }
}
