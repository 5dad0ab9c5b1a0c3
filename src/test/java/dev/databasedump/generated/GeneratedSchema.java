package dev.databasedump.generated;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A multi-tenant schema and its rows, made at random within small bounds: tables with and without the tenant column,
 * with and without a key (of one of several types), a unique pair, foreign keys to any table (itself, later ones:
 * cycles), nullable, NOT NULL and deferrable, of other types than the keys they reference where PostgreSQL allows it,
 * partitioned tables with their keys on the parent or on the partitions only, value columns of every kind, three
 * tenants. Printed, it is the SQL that makes it, so a counterexample can be run by hand and kept as a plain test.
 *
 * @param tenantType  the type of the tenant column and the tenant table's key
 * @param tenantTable whether there is a tenant table, {@code tenants}
 * @param tables      the tables, named t0, t1, ...
 * @param dataSeed    where the rows' choices come from
 */
public record GeneratedSchema(String tenantType, boolean tenantTable, List<TableSpec> tables, long dataSeed) {

    /** The tenants every generated database has, as the tenant column's type writes them. */
    public List<String> tenants() {
        return IntStream.rangeClosed(1, 3).mapToObj(this::tenant).toList();
    }

    String tenant(int n) {
        return switch (tenantType) {
            case "uuid" -> String.format("aaaaaaaa-0000-4000-8000-%012d", n);
            case "text" -> "tenant " + n;
            default -> Integer.toString(n);
        };
    }

    /** How a table is partitioned. */
    public enum Partitioning { NONE, BY_PART, BY_TENANT }

    /**
     * A table. Its key is {@code id} (with the partition column, when partitioned); {@code unique} adds UNIQUE (id,
     * code), which keys may reference too.
     */
    public record TableSpec(KeyType key, boolean unique, boolean tenantColumn, boolean tenantKey,
            Partitioning partitioning, boolean keysOnPartitions, List<ValueKind> values, List<FkSpec> fks, int rows) {
    }

    /**
     * A foreign key to table {@code parent}: its key, or its unique pair; its columns of the {@code typeChoice}-th type
     * the key allows.
     */
    public record FkSpec(int parent, boolean toUnique, int typeChoice, boolean notNull, boolean deferrable) {
    }

    /** The column naming a partitioned table's partition; none when not partitioned. */
    static String partitionColumn(TableSpec table) {
        return switch (table.partitioning()) {
            case NONE -> null;
            case BY_PART -> "part";
            case BY_TENANT -> "tenant_id";
        };
    }

    /** The columns a foreign key to {@code table} references. */
    static List<String> referenced(TableSpec table, boolean toUnique) {
        List<String> columns = new ArrayList<>(List.of("id"));
        if (toUnique) {
            columns.add("code");
        } else if (partitionColumn(table) != null) {
            columns.add(partitionColumn(table));
        }
        return columns;
    }

    /** Whether the key can be made: its parent has a key (or the pair it names). */
    boolean usable(FkSpec fk) {
        TableSpec parent = tables.get(fk.parent());
        return parent.key() != null && (!fk.toUnique() || parent.unique());
    }

    /** A NOT NULL key must find a row: to an earlier table, or deferred to the end of the transaction. */
    boolean notNull(int child, FkSpec fk) {
        return fk.notNull() && tables.get(fk.parent()).rows() > 0 && (fk.deferrable() || fk.parent() < child);
    }

    /** The SQL that makes the schema, then "-- rows", then the SQL that fills it. */
    public String script() {
        return schemaSql() + "\n-- rows\n" + rowsSql();
    }

    @Override
    public String toString() {
        return "\n" + script();
    }

    String schemaSql() {
        StringBuilder sql = new StringBuilder(ValueKind.PREAMBLE);
        if (tenantTable) {
            sql.append("CREATE TABLE tenants (id ").append(tenantType).append(" PRIMARY KEY, name text);\n");
        }
        for (int i = 0; i < tables.size(); i++) {
            table(sql, i);
        }
        for (int i = 0; i < tables.size(); i++) {
            TableSpec table = tables.get(i);
            if (table.tenantKey() && table.tenantColumn() && tenantTable) {
                sql.append("ALTER TABLE t").append(i).append(" ADD CONSTRAINT t").append(i)
                        .append("_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);\n");
            }
            for (int k = 0; k < table.fks().size(); k++) {
                FkSpec fk = table.fks().get(k);
                if (!usable(fk)) {
                    continue;
                }
                String references = " FOREIGN KEY (" + String.join(", ", fkColumns(k, fk)) + ") REFERENCES t"
                        + fk.parent() + " (" + String.join(", ", referenced(tables.get(fk.parent()), fk.toUnique()))
                        + ")" + (fk.deferrable() ? " DEFERRABLE INITIALLY DEFERRED" : "") + ";\n";
                if (table.partitioning() != Partitioning.NONE && table.keysOnPartitions()) {
                    for (String partition : partitions(i)) {
                        sql.append("ALTER TABLE ").append(partition).append(" ADD CONSTRAINT t").append(i)
                                .append("_f").append(k).append("_").append(partition).append(references);
                    }
                } else {
                    sql.append("ALTER TABLE t").append(i).append(" ADD CONSTRAINT t").append(i).append("_f")
                            .append(k).append(references);
                }
            }
        }
        return sql.toString();
    }

    private void table(StringBuilder sql, int i) {
        TableSpec table = tables.get(i);
        List<String> columns = new ArrayList<>();
        if (table.key() != null) {
            columns.add("id " + table.key().sql + " NOT NULL");
        }
        if (table.unique()) {
            columns.add("code text NOT NULL");
        }
        if (table.tenantColumn()) {
            columns.add("tenant_id " + tenantType + " NOT NULL");
        }
        if (table.partitioning() == Partitioning.BY_PART) {
            columns.add("part int NOT NULL");
        }
        for (int v = 0; v < table.values().size(); v++) {
            columns.add("v" + v + " " + table.values().get(v).sql);
        }
        for (int k = 0; k < table.fks().size(); k++) {
            FkSpec fk = table.fks().get(k);
            if (usable(fk)) {
                List<String> names = fkColumns(k, fk);
                List<String> types = fkTypes(fk);
                for (int c = 0; c < names.size(); c++) {
                    columns.add(names.get(c) + " " + types.get(c) + (notNull(i, fk) ? " NOT NULL" : ""));
                }
            }
        }
        if (table.key() != null) {
            columns.add("PRIMARY KEY (" + String.join(", ", referenced(table, false)) + ")");
        }
        if (table.unique()) {
            columns.add("UNIQUE (id, code)");
        }
        sql.append("CREATE TABLE t").append(i).append(" (").append(String.join(", ", columns)).append(")");
        switch (table.partitioning()) {
            case NONE -> sql.append(";\n");
            case BY_PART -> sql.append(" PARTITION BY LIST (part);\nCREATE TABLE t").append(i)
                    .append("_p0 PARTITION OF t").append(i).append(" FOR VALUES IN (0);\nCREATE TABLE t").append(i)
                    .append("_p1 PARTITION OF t").append(i).append(" FOR VALUES IN (1);\nCREATE TABLE t").append(i)
                    .append("_pd PARTITION OF t").append(i).append(" DEFAULT;\n");
            case BY_TENANT -> sql.append(" PARTITION BY HASH (tenant_id);\nCREATE TABLE t").append(i)
                    .append("_h0 PARTITION OF t").append(i).append(" FOR VALUES WITH (MODULUS 2, REMAINDER 0);\n")
                    .append("CREATE TABLE t").append(i).append("_h1 PARTITION OF t").append(i)
                    .append(" FOR VALUES WITH (MODULUS 2, REMAINDER 1);\n");
        }
    }

    private List<String> partitions(int i) {
        return tables.get(i).partitioning() == Partitioning.BY_PART
                ? List.of("t" + i + "_p0", "t" + i + "_p1", "t" + i + "_pd") : List.of("t" + i + "_h0", "t" + i + "_h1");
    }

    /** The columns of key {@code k}: one per column it references. */
    List<String> fkColumns(int k, FkSpec fk) {
        return referenced(tables.get(fk.parent()), fk.toUnique()).stream().map(column -> "f" + k + "_" + column)
                .toList();
    }

    // The id column in a type the key allows; the pair's code as text or varchar; the parent's partition column in its
    // own type.
    private List<String> fkTypes(FkSpec fk) {
        TableSpec parent = tables.get(fk.parent());
        List<String> allowed = parent.key().referencing;
        List<String> types = new ArrayList<>(List.of(allowed.get(fk.typeChoice() % allowed.size())));
        if (fk.toUnique()) {
            types.add(fk.typeChoice() % 2 == 0 ? "text" : "varchar(30)");
        } else if (parent.partitioning() != Partitioning.NONE) {
            types.add(parent.partitioning() == Partitioning.BY_TENANT ? tenantType : "int");
        }
        return types;
    }

    /**
     * The rows, in one transaction: the tables with a key in order, a key to a later row filled in once that row is
     * there, then the tables without one (nothing can reference those, and every row they reference is there).
     */
    String rowsSql() {
        Random random = new Random(dataSeed);
        StringBuilder sql = new StringBuilder("BEGIN;\nSET CONSTRAINTS ALL DEFERRED;\n");
        List<String> updates = new ArrayList<>();
        if (tenantTable) {
            sql.append("INSERT INTO tenants VALUES ").append(IntStream.rangeClosed(1, 3)
                    .mapToObj(n -> "('" + tenant(n) + "', 'tenant " + n + "')").collect(Collectors.joining(", ")))
                    .append(";\n");
        }
        int[][] tenantOf = new int[tables.size()][];
        int[][] partOf = new int[tables.size()][];
        for (int i = 0; i < tables.size(); i++) {
            tenantOf[i] = random.ints(tables.get(i).rows(), 1, 4).toArray();
            partOf[i] = random.ints(tables.get(i).rows(), 0, 3).toArray();
        }
        List<Integer> order = new ArrayList<>();
        IntStream.range(0, tables.size()).filter(i -> tables.get(i).key() != null).forEach(order::add);
        IntStream.range(0, tables.size()).filter(i -> tables.get(i).key() == null).forEach(order::add);
        for (int i : order) {
            TableSpec table = tables.get(i);
            for (int r = 0; r < table.rows(); r++) {
                List<String> names = new ArrayList<>();
                List<String> values = new ArrayList<>();
                if (table.key() != null) {
                    names.add("id");
                    values.add(table.key().literal(r + 1));
                }
                if (table.unique()) {
                    names.add("code");
                    values.add("'c" + (r + 1) + "'");
                }
                if (table.tenantColumn()) {
                    names.add("tenant_id");
                    values.add("'" + tenant(tenantOf[i][r]) + "'");
                }
                if (table.partitioning() == Partitioning.BY_PART) {
                    names.add("part");
                    values.add(Integer.toString(partOf[i][r]));
                }
                for (int v = 0; v < table.values().size(); v++) {
                    List<String> literals = table.values().get(v).literals;
                    int pick = random.nextInt(literals.size() + 1);
                    names.add("v" + v);
                    values.add(pick == literals.size() ? "NULL" : literals.get(pick));
                }
                List<String> later = new ArrayList<>();
                for (int k = 0; k < table.fks().size(); k++) {
                    FkSpec fk = table.fks().get(k);
                    if (!usable(fk)) {
                        continue;
                    }
                    List<String> referenced = reference(random, fk, tenantOf, partOf,
                            table.tenantColumn() ? tenantOf[i][r] : 0, notNull(i, fk));
                    List<String> columns = fkColumns(k, fk);
                    boolean now = referenced == null || fk.deferrable() || fk.parent() < i || table.key() == null;
                    for (int c = 0; c < columns.size(); c++) {
                        String value = referenced == null ? "NULL" : referenced.get(c);
                        if (now) {
                            names.add(columns.get(c));
                            values.add(value);
                        } else {
                            later.add(columns.get(c) + " = " + value);
                        }
                    }
                }
                sql.append("INSERT INTO t").append(i).append(names.isEmpty() ? " DEFAULT VALUES;\n" : " ("
                        + String.join(", ", names) + ") VALUES (" + String.join(", ", values) + ");\n");
                if (!later.isEmpty()) {
                    updates.add("UPDATE t" + i + " SET " + String.join(", ", later) + " WHERE id = "
                            + table.key().literal(r + 1) + ";\n");
                }
            }
        }
        updates.forEach(sql::append);
        return sql.append("COMMIT;\n").toString();
    }

    // The row of the parent a new row references, as the key's values: one of the same tenant, mostly, where both have
    // one; null (none) for a nullable key now and then, and when the parent has no rows.
    private List<String> reference(Random random, FkSpec fk, int[][] tenantOf, int[][] partOf, int childTenant,
            boolean notNull) {
        int p = fk.parent();
        TableSpec parent = tables.get(p);
        if (parent.rows() == 0 || !notNull && random.nextInt(4) == 0) {
            return null;
        }
        int row = random.nextInt(parent.rows());
        if (childTenant > 0 && parent.tenantColumn() && random.nextInt(10) > 3) {
            List<Integer> same = IntStream.range(0, parent.rows()).filter(r -> tenantOf[p][r] == childTenant)
                    .boxed().toList();
            if (!same.isEmpty()) {
                row = same.get(random.nextInt(same.size()));
            }
        }
        List<String> values = new ArrayList<>(List.of(parent.key().literal(row + 1)));
        if (fk.toUnique()) {
            values.add("'c" + (row + 1) + "'");
        } else if (parent.partitioning() == Partitioning.BY_PART) {
            values.add(Integer.toString(partOf[p][row]));
        } else if (parent.partitioning() == Partitioning.BY_TENANT) {
            values.add("'" + tenant(tenantOf[p][row]) + "'");
        }
        return values;
    }
}
