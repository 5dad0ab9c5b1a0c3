package dev.databasedump.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The foreign keys of the catalog that touch some tables, read in one query, each as the tables a dump knows see it: a
 * key declared on a partitioned table once (not its partitions' copies), and a key declared on partitions (the form
 * every schema made before PostgreSQL 11 has, and pg_partman-style setups keep) as the partitioned table's own, its
 * copies on several partitions merged into one. A key declared on some partitions only holds for their rows
 * ({@link PartitionSubset}). Composite keys come with their columns in order. A dump's scope follows them, verify and
 * a restore check them.
 */
public final class ForeignKeyConstraints {

    // Each end mapped to the root of its partition tree (pg_partition_root is NULL for a table that is not partitioned).
    private static final String TOUCHING = """
            SELECT c.conname, c.conrelid, c.confrelid,
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum),
                   (SELECT array_agg(a.attname::text ORDER BY k.ord)
                      FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum),
                   cn.nspname, cc.relname, pn.nspname, pc.relname, c.confmatchtype = 'f',
                   r.child_root, r.parent_root
              FROM pg_constraint c
              CROSS JOIN LATERAL (SELECT coalesce(pg_partition_root(c.conrelid)::oid, c.conrelid) AS child_root,
                                         coalesce(pg_partition_root(c.confrelid)::oid, c.confrelid) AS parent_root) r
              JOIN pg_class cc ON cc.oid = r.child_root JOIN pg_namespace cn ON cn.oid = cc.relnamespace
              JOIN pg_class pc ON pc.oid = r.parent_root JOIN pg_namespace pn ON pn.oid = pc.relnamespace
             WHERE c.contype = 'f' AND c.conparentid = 0 AND (r.child_root = ANY (?) OR r.parent_root = ANY (?))
             ORDER BY r.child_root, c.conname
            """;
    private static final String LEAVES = "SELECT relid::oid FROM pg_partition_tree(?::oid::regclass) WHERE isleaf";
    private static final String PARTITION = """
            SELECT n.nspname || '.' || c.relname, coalesce(pg_get_partition_constraintdef(c.oid), 'true')
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?
            """;
    private static final String COLUMNS = """
            SELECT attname::text FROM pg_attribute WHERE attrelid = ? AND attnum > 0 AND NOT attisdropped
             ORDER BY attnum
            """;

    private ForeignKeyConstraints() {
    }

    /**
     * A foreign key: {@code childColumns} of the child table reference {@code parentColumns} of the parent, in order.
     * Each end is a table as a dump lists it: a partitioned table stands for its partitions.
     *
     * @param name        its name (of the first of its copies, where it is declared on several partitions)
     * @param child       the child table, {@code "schema"."table"}
     * @param parent      the parent table, {@code "schema"."table"}
     * @param childName   the child table as people write it, {@code schema.table}
     * @param parentName  the parent table as people write it
     * @param matchFull   MATCH FULL: all the columns are NULL or none is
     * @param childRows   the child's rows the key holds for, where it is declared on some of its partitions only;
     *                    null: every row
     * @param parentRows  the parent's rows the key references, where it references some of its partitions only; null:
     *                    every row
     */
    public record Constraint(String name, long childOid, long parentOid, List<String> childColumns,
            List<String> parentColumns, String child, String parent, String childName, String parentName,
            boolean matchFull, PartitionSubset childRows, PartitionSubset parentRows) {

        /** " AND …" keeping the child's rows on {@code alias} that the key holds for; empty when it holds for all. */
        public String childIn(String alias) {
            return childRows == null ? "" : " AND " + childRows.holds(alias);
        }

        /** " AND …" keeping the parent's rows on {@code alias} that the key may reference; empty for all of them. */
        public String parentIn(String alias) {
            return parentRows == null ? "" : " AND " + parentRows.holds(alias);
        }

        /** Whether the key holds for every row of the child and may reference every row of the parent. */
        public boolean wholeTables() {
            return childRows == null && parentRows == null;
        }
    }

    /** The foreign keys whose child or parent is one of {@code tables} (by oid). */
    public static List<Constraint> touching(Connection connection, Collection<Long> tables) throws SQLException {
        java.sql.Array oids = connection.createArrayOf("oid", tables.toArray());
        Map<List<Object>, Declared> merged = new LinkedHashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(TOUCHING)) {
            statement.setArray(1, oids);
            statement.setArray(2, oids);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Declared key = new Declared(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            Arrays.asList((String[]) rs.getArray(4).getArray()),
                            Arrays.asList((String[]) rs.getArray(5).getArray()), rs.getString(6), rs.getString(7),
                            rs.getString(8), rs.getString(9), rs.getBoolean(10), rs.getLong(11), rs.getLong(12));
                    // Copies of one key on several partitions are one key of the partitioned table.
                    merged.merge(key.identity(), key, Declared::with);
                }
            }
        }
        List<Constraint> keys = new ArrayList<>();
        for (Declared key : merged.values()) {
            keys.add(key.constraint(connection));
        }
        return keys;
    }

    /** A key as the catalog declares it, on a table or on partitions of one. */
    private record Declared(String name, long on, long references, List<String> childColumns,
            List<String> parentColumns, String childSchema, String childTable, String parentSchema,
            String parentTable, boolean matchFull, long childRoot, long parentRoot, Set<Long> declaredOn) {

        Declared(String name, long on, long references, List<String> childColumns, List<String> parentColumns,
                String childSchema, String childTable, String parentSchema, String parentTable, boolean matchFull,
                long childRoot, long parentRoot) {
            this(name, on, references, childColumns, parentColumns, childSchema, childTable, parentSchema,
                    parentTable, matchFull, childRoot, parentRoot, Set.of(on));
        }

        List<Object> identity() {
            return List.of(childRoot, childColumns, references, parentColumns, matchFull);
        }

        Declared with(Declared copy) {
            Set<Long> on = new HashSet<>(declaredOn);
            on.addAll(copy.declaredOn);
            return new Declared(name, this.on, references, childColumns, parentColumns, childSchema, childTable,
                    parentSchema, parentTable, matchFull, childRoot, parentRoot, Set.copyOf(on));
        }

        Constraint constraint(Connection connection) throws SQLException {
            return new Constraint(name, childRoot, parentRoot, childColumns, parentColumns,
                    Identifiers.quote(childSchema) + "." + Identifiers.quote(childTable),
                    Identifiers.quote(parentSchema) + "." + Identifiers.quote(parentTable),
                    childSchema + "." + childTable, parentSchema + "." + parentTable, matchFull,
                    subset(connection, childRoot, declaredOn), subset(connection, parentRoot, Set.of(references)));
        }
    }

    // Null when the relations cover every partition of the root (or are the root); else their rows, as a subset.
    private static PartitionSubset subset(Connection connection, long root, Set<Long> relations) throws SQLException {
        if (relations.contains(root)) {
            return null;
        }
        Set<Long> covered = new HashSet<>();
        for (long relation : relations) {
            covered.addAll(leaves(connection, relation));
        }
        if (covered.equals(leaves(connection, root))) {
            return null;
        }
        List<String> names = new ArrayList<>();
        List<String> constraints = new ArrayList<>();
        for (long relation : relations.stream().sorted().toList()) {
            try (PreparedStatement statement = connection.prepareStatement(PARTITION)) {
                statement.setLong(1, relation);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    names.add(rs.getString(1));
                    constraints.add(rs.getString(2));
                }
            }
        }
        List<String> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMNS)) {
            statement.setLong(1, root);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
            }
        }
        return new PartitionSubset(names, constraints, columns);
    }

    private static Set<Long> leaves(Connection connection, long relation) throws SQLException {
        Set<Long> leaves = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(LEAVES)) {
            statement.setLong(1, relation);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    leaves.add(rs.getLong(1));
                }
            }
        }
        return leaves;
    }
}
