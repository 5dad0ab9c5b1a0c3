package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes a tenant dump's queries lean on: the tenant column of every table that has it, and the foreign-key
 * columns a table's own rows are found by. Without one, the planner reads every row of the table to find the
 * tenant's; on a large table that makes a tenant's dump cost what a full one does, so each missing index is a warning
 * with the statement that adds it.
 */
final class MissingIndexes {

    /** Below this many rows (as the planner estimates) reading the whole table costs little. */
    static final long LARGE = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(MissingIndexes.class);
    private static final String INDEXES = """
            SELECT c.oid, c.reltuples,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum)
              FROM pg_class c LEFT JOIN pg_index i ON i.indrelid = c.oid
             WHERE c.oid = ANY (?)
            """;

    private MissingIndexes() {
    }

    /** Warns of every index {@code wanted} (table: columns a query looks rows up by) that a large table lacks. */
    static void warn(Connection connection, Map<DumpTable, List<List<String>>> wanted) throws SQLException {
        Map<Long, Double> rows = new HashMap<>();
        Map<Long, List<List<String>>> indexes = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(INDEXES)) {
            statement.setArray(1, connection.createArrayOf("oid", wanted.keySet().stream().map(DumpTable::oid)
                    .toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), rs.getDouble(2));
                    java.sql.Array columns = rs.getArray(3);
                    if (columns != null) {
                        indexes.computeIfAbsent(rs.getLong(1), oid -> new ArrayList<>())
                                .add(Arrays.asList((String[]) columns.getArray()));
                    }
                }
            }
        }
        wanted.forEach((table, lookups) -> {
            if (rows.getOrDefault(table.oid(), 0.0) < LARGE) {
                return;
            }
            for (List<String> columns : new HashSet<>(lookups)) {
                boolean indexed = indexes.getOrDefault(table.oid(), List.of()).stream().anyMatch(index ->
                        index.size() >= columns.size()
                                && new HashSet<>(index.subList(0, columns.size())).equals(new HashSet<>(columns)));
                if (!indexed) {
                    String listed = columns.stream().map(Identifiers::quote).collect(Collectors.joining(", "));
                    LOG.warn("A tenant's dump reads every row of {} (about {} rows) to find the tenant's: it has no"
                            + " index on ({}); CREATE INDEX ON {} ({});", table.displayName(),
                            String.format("%,d", Math.round(rows.get(table.oid()))), String.join(", ", columns),
                            table.qualifiedIdentifier(), listed);
                }
            }
        });
    }
}
