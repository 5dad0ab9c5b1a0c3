package dev.databasedump.scope;

import dev.databasedump.database.ColumnSql;
import dev.databasedump.database.DumpTable;
import dev.databasedump.database.Identifiers;
import dev.databasedump.database.RowFilter;
import dev.databasedump.scope.ScopeGraph.Dep;
import dev.databasedump.scope.ScopeGraph.Kind;
import dev.databasedump.scope.ScopeGraph.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The scope's rules as SQL for PostgreSQL to compute inside the dump's snapshot. A node's rows are a condition on the
 * table: the tenant's own value, or a semi-join on the rows it follows from
 * ({@code t.case_id IN (SELECT p.id FROM cases p WHERE p.tenant_id = 'T')}), which the planner serves from the indexes
 * on the tenant and foreign-key columns. A cycle is one recursive common table expression over the rows of all its
 * tables (by {@code tableoid, ctid}, stable within the snapshot), each step a join on one foreign key; it ends when no
 * step adds a row, so the closure is complete whatever the cycle.
 */
final class ScopeSql {

    private final ScopeGraph graph;
    private final String column;
    private final DumpTable tenantTable;
    private final TenantId tenant;
    private final Function<DumpTable, String> relation;

    /**
     * @param column      the tenant column
     * @param tenantTable the tenants' table, keyed by the tenant id, or null
     * @param tenant      the tenant id, as each column's type reads it
     * @param relation    the relation each table's rows are read from: the table itself, or a restore's staging copy
     */
    ScopeSql(ScopeGraph graph, String column, DumpTable tenantTable, TenantId tenant,
            Function<DumpTable, String> relation) {
        this.graph = graph;
        this.column = column;
        this.tenantTable = tenantTable;
        this.tenant = tenant;
        this.relation = relation;
    }

    /** The rows of {@code table} in the document: the tenant's, those they lead down to, and the parents they name. */
    RowFilter filter(DumpTable table) {
        return filter(graph.in(table));
    }

    /** The rows of {@code table} that belong to the tenant: its own, and those that hang off them, never a parent. */
    RowFilter owned(DumpTable table) {
        return filter(graph.own(table));
    }

    private RowFilter filter(Node node) {
        Query query = new Query();
        String where = predicate(node, "t", query);
        return new RowFilter(query.with(), where);
    }

    /**
     * The rows in the document of {@code key}'s child that reference a row of its parent, a table that names the
     * tenant, that is not the tenant's: each as its key, what it references, at most {@code limit} of them.
     */
    String crossReferences(ForeignKey key, int limit) {
        Query query = new Query();
        String inScope = predicate(graph.in(key.child()), "t", query);
        String p = query.alias();
        DumpTable child = key.child();
        List<String> keyColumns = child.primaryKey().isEmpty() ? key.childColumns() : child.primaryKey();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < child.primaryKey().size(); i++) {
            order.add("t." + Identifiers.quote(child.primaryKey().get(i)) + " AS o" + i);
        }
        // Found first, ordered after: OFFSET 0 keeps the planner from walking the whole primary-key index in order to
        // stop at the first hit, which reads every row of the table when (as it should be) there is none.
        String found = "SELECT " + ColumnSql.jsonObject("t", keyColumns) + " AS row_key, "
                + ColumnSql.jsonObject("t", key.childColumns()) + " AS row_value"
                + order.stream().map(column -> ", " + column).collect(Collectors.joining())
                + " FROM " + relation.apply(child) + " AS t WHERE " + inScope + " AND EXISTS (SELECT FROM "
                + relation.apply(key.parent()) + " AS " + p + " WHERE " + key.parentRow(p) + " = " + key.childRow("t")
                + " AND " + notTheTenants(key.parent(), p) + key.parentIn(p) + ")"
                + key.childIn("t") + " OFFSET 0";
        return (query.with().isEmpty() ? "" : query.with() + " ") + "SELECT row_key, row_value FROM (" + found
                + ") AS found" + (order.isEmpty() ? "" : " ORDER BY " + IntStream.range(0, order.size())
                        .mapToObj(i -> "o" + i).collect(Collectors.joining(", ")))
                + " LIMIT " + limit;
    }

    private String predicate(Node node, String alias, Query query) {
        if (node.kind() == Kind.TENANT) {
            // A column whose type cannot hold the id (an integer column, for an id past its range) has none of its rows.
            return tenant.heldBy(node.table()) ? tenantValue(node.table(), alias) + " = "
                    + tenant.literalFor(node.table()) : "false";
        }
        int cycle = graph.component(node);
        if (cycle >= 0) {
            return "(" + alias + ".tableoid, " + alias + ".ctid) IN (SELECT rel, tid FROM " + query.cycle(cycle)
                    + " WHERE node = " + graph.members(cycle).indexOf(node) + ")";
        }
        List<Dep> deps = graph.deps(node);
        if (deps.size() == 1) {
            return follow(deps.get(0), alias, query);
        }
        // Several ways in: one semi-join each, their rows united by position. An OR of IN subqueries would be planned
        // as subplans, which PostgreSQL hashes only while they fit in work_mem and otherwise runs again for every row.
        String rows = relation.apply(node.table());
        List<String> ways = new ArrayList<>();
        for (Dep dep : deps) {
            String way = query.alias();
            ways.add("SELECT " + way + ".tableoid, " + way + ".ctid FROM " + rows + " AS " + way + " WHERE "
                    + follow(dep, way, query));
        }
        return "(" + alias + ".tableoid, " + alias + ".ctid) IN (" + String.join(" UNION ALL ", ways) + ")";
    }

    // The node's rows that follow from the rows of dep.on().
    private String follow(Dep dep, String alias, Query query) {
        if (dep.via() == ScopeGraph.Via.SAME) {
            return predicate(dep.on(), alias, query);
        }
        String other = query.alias();
        ForeignKey key = dep.key();
        boolean down = dep.via() == ScopeGraph.Via.DOWN;
        // A key declared on some partitions only: the rows of those partitions, at each end.
        return "(" + (down ? key.childRow(alias) : key.parentRow(alias)) + " IN (SELECT "
                + (down ? key.parentList(other) : key.childList(other)) + " FROM "
                + relation.apply(dep.on().table()) + " AS " + other + " WHERE "
                + predicate(dep.on(), other, query) + (down ? key.parentIn(other) : key.childIn(other)) + ")"
                + (down ? key.childIn(alias) : key.parentIn(alias)) + ")";
    }

    // A row of a table that names tenants that is not the tenant's: another tenant's, or no tenant's (NULL).
    private String notTheTenants(DumpTable table, String alias) {
        return tenant.heldBy(table) ? tenantValue(table, alias) + " IS DISTINCT FROM " + tenant.literalFor(table)
                : "true";
    }

    // The column that names a row's tenant: the tenant table's key, or the tenant column.
    private String tenantValue(DumpTable table, String alias) {
        String named = table.equals(tenantTable) ? table.primaryKey().get(0) : column;
        return alias + "." + Identifiers.quote(named);
    }

    // cycle_N(node, rel, tid): the rows of every node of the cycle, each numbered as in graph.members(N).
    private String cycleQuery(int cycle, String name, Query query) {
        List<Node> members = graph.members(cycle);
        List<String> starts = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            Node member = members.get(i);
            List<String> outside = new ArrayList<>();
            for (Dep dep : graph.deps(member)) {
                int on = members.indexOf(dep.on());
                if (on < 0 || graph.component(dep.on()) != cycle) {
                    outside.add(follow(dep, "x", query));
                } else {
                    steps.add(step(i, on, dep, query));
                }
            }
            if (!outside.isEmpty()) {
                starts.add("SELECT " + i + ", x.tableoid, x.ctid FROM " + relation.apply(member.table())
                        + " AS x WHERE " + anyOf(outside));
            }
        }
        return name + "(node, rel, tid) AS (" + String.join(" UNION ", starts) + " UNION SELECT step.node, step.rel,"
                + " step.tid FROM " + name + " AS s CROSS JOIN LATERAL (" + String.join(" UNION ALL ", steps)
                + ") AS step)";
    }

    // The rows of member `to` that follow, through dep, from the row of member `from` a step of the cycle found.
    private String step(int to, int from, Dep dep, Query query) {
        String known = query.alias();
        String found = query.alias();
        DumpTable target = dep.key() == null ? null : (dep.via() == ScopeGraph.Via.DOWN ? dep.key().child()
                : dep.key().parent());
        boolean down = dep.via() == ScopeGraph.Via.DOWN;
        return "SELECT " + to + " AS node, " + found + ".tableoid AS rel, " + found + ".ctid AS tid FROM "
                + relation.apply(dep.on().table()) + " AS " + known + " JOIN " + relation.apply(target)
                + " AS " + found + " ON " + (down ? dep.key().childRow(found) + " = " + dep.key().parentRow(known)
                        + dep.key().childIn(found) + dep.key().parentIn(known)
                        : dep.key().parentRow(found) + " = " + dep.key().childRow(known)
                        + dep.key().parentIn(found) + dep.key().childIn(known))
                + " WHERE s.node = " + from + " AND " + known + ".tableoid = s.rel AND " + known + ".ctid = s.tid";
    }

    private static String anyOf(List<String> conditions) {
        return conditions.size() == 1 ? conditions.get(0) : "(" + String.join(" OR ", conditions) + ")";
    }

    /** One query's aliases and the cycles it names, each defined once, after those its definition names. */
    private final class Query {

        private int aliases;
        private final Map<Integer, String> cycles = new LinkedHashMap<>();

        String alias() {
            return "s" + ++aliases;
        }

        String cycle(int cycle) {
            String name = "cycle_" + cycle;
            if (!cycles.containsKey(cycle)) {
                String definition = cycleQuery(cycle, name, this);
                cycles.put(cycle, definition);
            }
            return name;
        }

        String with() {
            return cycles.isEmpty() ? "" : "WITH RECURSIVE " + String.join(", ", cycles.values());
        }
    }
}
