package dev.databasedump.generated;

import dev.databasedump.generated.GeneratedSchema.FkSpec;
import dev.databasedump.generated.GeneratedSchema.TableSpec;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one tenant's dump of a generated database must hold, found without any of the product's code: every row read
 * with a plain SELECT, the keys of the generated schema (which the oracle knows, not reads), and the scope's rules as a
 * fixpoint over the rows in Java. The tenant's rows; the rows that reference them, transitively (its own); every row
 * that a row in the document references, transitively (parents, which never pull their children in); and, among
 * those references, the ones that name another tenant's row.
 *
 * @param rows            per table, the to_json text of each row in the tenant's document, sorted
 * @param crossReferences "table foreign-key" of each reference from a row in the document to another tenant's row
 */
public record ScopeOracle(Map<String, List<String>> rows, List<String> crossReferences) {

    /**
     * A row as the oracle reads it: its place in its table (rows of a table without a key may be alike), its JSON, its
     * key values, and what each of its keys references (null: nothing).
     */
    private record Row(String table, int place, String json, String tenant, Map<List<String>, String> keys,
            List<String> references) {
    }

    /** A key of the generated schema, from the child's columns to the parent's. */
    private record Key(String name, String child, List<String> columns, String parent, List<String> referenced,
            List<String> types) {
    }

    public static ScopeOracle of(Connection connection, GeneratedSchema schema, String tenant) throws SQLException {
        List<Key> keys = keys(schema);
        Map<String, List<Row>> tables = new LinkedHashMap<>();
        if (schema.tenantTable()) {
            tables.put("tenants", read(connection, "tenants", "id", keys, List.of(List.of("id"))));
        }
        for (int i = 0; i < schema.tables().size(); i++) {
            TableSpec table = schema.tables().get(i);
            String name = "t" + i;
            List<List<String>> referencedAs = keys.stream().filter(key -> key.parent().equals(name))
                    .map(Key::referenced).distinct().toList();
            tables.put(name, read(connection, name, table.tenantColumn() ? "tenant_id" : null, keys, referencedAs));
        }
        Set<String> namesTenant = new HashSet<>();
        if (schema.tenantTable()) {
            namesTenant.add("tenants");
        }
        for (int i = 0; i < schema.tables().size(); i++) {
            if (schema.tables().get(i).tenantColumn()) {
                namesTenant.add("t" + i);
            }
        }
        return closure(tables, keys, tenant, namesTenant);
    }

    private static List<Key> keys(GeneratedSchema schema) {
        List<Key> keys = new ArrayList<>();
        for (int i = 0; i < schema.tables().size(); i++) {
            TableSpec table = schema.tables().get(i);
            if (table.tenantColumn() && table.tenantKey() && schema.tenantTable()) {
                keys.add(new Key("t" + i + "_tenant", "t" + i, List.of("tenant_id"), "tenants", List.of("id"),
                        List.of(schema.tenantType())));
            }
            for (int k = 0; k < table.fks().size(); k++) {
                FkSpec fk = table.fks().get(k);
                if (schema.usable(fk)) {
                    TableSpec parent = schema.tables().get(fk.parent());
                    List<String> referenced = GeneratedSchema.referenced(parent, fk.toUnique());
                    List<String> types = referenced.stream().map(column -> column.equals("id") ? parent.key().sql
                            : column.equals("tenant_id") ? schema.tenantType() : column.equals("part") ? "int"
                            : "text").toList();
                    keys.add(new Key("t" + i + "_f" + k, "t" + i, schema.fkColumns(k, fk), "t" + fk.parent(),
                            referenced, types));
                }
            }
        }
        return keys;
    }

    // Each row: its JSON; its tenant as text; its values of every column list a key references, as text; and each
    // key's columns cast to the referenced columns' types (PostgreSQL decides 1.50 = 1.5, a date = its midnight).
    private static List<Row> read(Connection connection, String table, String tenantColumn, List<Key> keys,
            List<List<String>> referencedAs) throws SQLException {
        List<Key> outgoing = keys.stream().filter(key -> key.child().equals(table)).toList();
        StringBuilder select = new StringBuilder("SELECT to_json(x.*)::text, " + (tenantColumn == null ? "NULL"
                : "x." + tenantColumn + "::text"));
        for (List<String> columns : referencedAs) {
            select.append(", ").append(tuple(columns, null));
        }
        for (Key key : outgoing) {
            select.append(", ").append(tuple(key.columns(), key.types()));
        }
        List<Row> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(select + " FROM " + table + " AS x")) {
            while (rs.next()) {
                Map<List<String>, String> values = new HashMap<>();
                for (int c = 0; c < referencedAs.size(); c++) {
                    values.put(referencedAs.get(c), rs.getString(3 + c));
                }
                List<String> references = new ArrayList<>();
                for (int k = 0; k < outgoing.size(); k++) {
                    references.add(rs.getString(3 + referencedAs.size() + k));
                }
                rows.add(new Row(table, rows.size(), rs.getString(1), rs.getString(2), values, references));
            }
        }
        return rows;
    }

    // The columns' values as one text, each cast to its type where given; NULL when any is (MATCH SIMPLE).
    private static String tuple(List<String> columns, List<String> types) {
        List<String> parts = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            parts.add("(x." + columns.get(c) + (types == null ? "" : "::" + types.get(c)) + ")::text");
        }
        return "CASE WHEN " + String.join(" IS NULL OR ", parts) + " IS NULL THEN NULL ELSE concat_ws(chr(1), "
                + String.join(", ", parts) + ") END";
    }

    private static ScopeOracle closure(Map<String, List<Row>> tables, List<Key> keys, String tenant,
            Set<String> namesTenant) {
        Map<Row, Boolean> own = new HashMap<>();
        for (Map.Entry<String, List<Row>> table : tables.entrySet()) {
            for (Row row : table.getValue()) {
                if (theTenants(row, tenant)) {
                    own.put(row, true);
                }
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, List<Row>> table : tables.entrySet()) {
                if (namesTenant.contains(table.getKey())) {
                    continue;
                }
                for (Row row : table.getValue()) {
                    if (!own.containsKey(row) && references(row, keys, tables).stream().anyMatch(own::containsKey)) {
                        own.put(row, true);
                        grew = true;
                    }
                }
            }
        }
        Set<Row> in = new HashSet<>(own.keySet());
        Set<String> cross = new HashSet<>();
        List<String> crossReferences = new ArrayList<>();
        grew = true;
        while (grew) {
            grew = false;
            for (Row row : List.copyOf(in)) {
                List<Key> outgoing = keys.stream().filter(key -> key.child().equals(row.table())).toList();
                for (int k = 0; k < outgoing.size(); k++) {
                    Row parent = parent(row, k, outgoing.get(k), tables);
                    if (parent == null) {
                        continue;
                    }
                    if (namesTenant.contains(parent.table())) {
                        if (!theTenants(parent, tenant) && cross.add(row.table() + "/" + row.place() + "/" + k)) {
                            crossReferences.add(row.table() + " " + outgoing.get(k).name());
                        }
                    } else if (in.add(parent)) {
                        grew = true;
                    }
                }
            }
        }
        Map<String, List<String>> rows = new TreeMap<>();
        tables.forEach((table, all) -> rows.put(table, all.stream().filter(in::contains).map(Row::json).sorted()
                .toList()));
        return new ScopeOracle(rows, crossReferences.stream().sorted().toList());
    }

    private static boolean theTenants(Row row, String tenant) {
        if (row.table().equals("tenants")) {
            return tenant.equals(row.keys().get(List.of("id")));
        }
        return tenant.equals(row.tenant());
    }

    private static List<Row> references(Row row, List<Key> keys, Map<String, List<Row>> tables) {
        List<Key> outgoing = keys.stream().filter(key -> key.child().equals(row.table())).toList();
        List<Row> parents = new ArrayList<>();
        for (int k = 0; k < outgoing.size(); k++) {
            Row parent = parent(row, k, outgoing.get(k), tables);
            if (parent != null) {
                parents.add(parent);
            }
        }
        return parents;
    }

    private static Row parent(Row row, int k, Key key, Map<String, List<Row>> tables) {
        String value = row.references().get(k);
        if (value == null) {
            return null;
        }
        return tables.get(key.parent()).stream().filter(parent -> value.equals(parent.keys().get(key.referenced())))
                .findFirst().orElseThrow(() -> new IllegalStateException(key.name() + " of " + row.json()
                        + " references no row: the generated data breaks its own key"));
    }
}
