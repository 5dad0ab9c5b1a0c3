package dev.databasedump.scope;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.RowFilter;
import dev.databasedump.database.StepFailedException;
import dev.databasedump.document.ScopeMetadata;
import dev.databasedump.scope.ScopeGraph.Dep;
import dev.databasedump.scope.ScopeGraph.Kind;
import dev.databasedump.scope.ScopeGraph.Node;
import dev.databasedump.settings.TenantSettings;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One tenant's share of a dump, decided once, from the catalog's foreign keys, inside the dump's snapshot: which tables
 * are in the document, each with the condition that keeps exactly its rows in scope ({@link ScopeGraph} has the rules,
 * {@link ScopeSql} the SQL), and why the others are left out. The rest of the dump reads, spools, stores and verifies
 * the rows as it does a full dump's.
 */
public final class TenantScope {

    /** Cross-tenant references listed in the metadata, at most. */
    static final int LISTED = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScopePlan plan;
    private final TenantId tenant;
    private final ScopeGraph graph;
    private final ScopeSql sql;

    TenantScope(ScopePlan plan, TenantId tenant) {
        this(plan, tenant, DumpTable::qualifiedIdentifier);
    }

    private TenantScope(ScopePlan plan, TenantId tenant, Function<DumpTable, String> relation) {
        this.plan = plan;
        this.tenant = tenant;
        this.graph = plan.graph;
        this.sql = new ScopeSql(graph, plan.column, plan.tenantTable, tenant, relation);
    }

    /** The same scope, its conditions over other relations holding the tables' rows: a restore's staging copies. */
    public TenantScope over(Function<DumpTable, String> relation) {
        return new TenantScope(plan, tenant, relation);
    }

    /**
     * Plans {@code tenant}'s scope over the dump's {@code tables}, named in the document as {@code keyOf} says.
     *
     * @throws StepFailedException when the settings name a tenant table or column the schemas do not have
     */
    public static TenantScope plan(Connection connection, List<DumpTable> tables, TenantSettings settings,
            String tenant, Function<DumpTable, String> keyOf) throws StepFailedException {
        return ScopePlan.of(connection, tables, settings, keyOf).forTenant(connection, tenant);
    }

    static DumpTable tenantTable(List<DumpTable> tables, String name) throws StepFailedException {
        Optional<DumpTable> table = tables.stream().filter(t -> t.name().equals(name) || t.displayName().equals(name))
                .findFirst();
        if (table.isEmpty()) {
            throw StepFailedException.because("planning the tenant's scope", "dump.tenant.table names " + name
                    + ", which is not among the tables dumped");
        }
        if (table.get().primaryKey().size() != 1) {
            throw StepFailedException.because("planning the tenant's scope", "dump.tenant.table " + name
                    + " needs a primary key of one column, the tenant id");
        }
        return table.get();
    }

    /** The tenant, as it was asked for. */
    public String tenant() {
        return tenant.asked();
    }

    /**
     * Refuses a tenant that cannot be dumped: an id the tenant table's key (without one, every tenant column) cannot
     * hold, or that the tenant table has no row for.
     */
    public void requireKnown(Connection connection) throws StepFailedException {
        try {
            tenant.requireKnown(connection);
        } catch (SQLException e) {
            throw new StepFailedException("checking the tenant", e);
        }
    }

    /** The tenant as the database writes it, which its dumps are filed under. */
    public String canonicalTenant() {
        return tenant.canonical();
    }

    /** The tables in the document, in the dump's order. */
    public List<DumpTable> tables() {
        return plan.tables();
    }

    /** The plan this scope is one tenant's of. */
    public ScopePlan plan() {
        return plan;
    }

    /** The condition that keeps exactly the rows of {@code table} in scope. */
    public RowFilter filter(DumpTable table) {
        return sql.filter(table);
    }

    /**
     * The condition that keeps the rows of {@code table} that belong to the tenant (a replace deletes them): those of a
     * table that names the tenant, and those that hang off them; never a shared parent.
     */
    public RowFilter owned(DumpTable table) {
        return sql.owned(table);
    }

    /** Whether {@code table} names the tenant itself: the tenant column, or the tenant table. */
    public boolean namesTenant(DumpTable table) {
        return graph.in(table).kind() == Kind.TENANT;
    }

    /** Whether any row of {@code table} can be in the tenant's scope. */
    public boolean includes(DumpTable table) {
        return graph.possible(graph.in(table));
    }

    /** Whether any row of {@code table} can belong to the tenant. */
    public boolean owns(DumpTable table) {
        return graph.possible(graph.own(table));
    }

    /** The foreign keys between the tables the scope was planned over. */
    public List<ForeignKey> foreignKeys() {
        return plan.keys;
    }

    /**
     * The rows in the document that reference another tenant's row (a row of a table that names the tenant, not
     * this one's): at most {@code limit} of them, for every key that could hold one.
     */
    public List<ScopeMetadata.CrossReference> crossReferences(Connection connection, int limit) throws SQLException {
        List<ScopeMetadata.CrossReference> found = new ArrayList<>();
        for (ForeignKey key : crossTenantKeys()) {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(sql.crossReferences(key, limit - found.size()))) {
                while (rs.next()) {
                    found.add(new ScopeMetadata.CrossReference(plan.keyOf.apply(key.child()), key.name(),
                            json(rs.getString(1)), plan.keyOf.apply(key.parent()), json(rs.getString(2))));
                }
            }
            if (found.size() >= limit) {
                break;
            }
        }
        return found;
    }

    /** How many rows in the document reference another tenant's row, in all. */
    public long countCrossReferences(Connection connection) throws SQLException {
        long total = 0;
        for (ForeignKey key : crossTenantKeys()) {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT count(*) FROM ("
                         + sql.crossReferences(key, Integer.MAX_VALUE) + ") AS found")) {
                rs.next();
                total += rs.getLong(1);
            }
        }
        return total;
    }

    // Keys from a table in the document to a table that names the tenant: the only ones that can reach out of scope,
    // unless the child's rows are in the document only because they reference the tenant's rows through that key.
    private List<ForeignKey> crossTenantKeys() {
        return plan.keys.stream().filter(key -> graph.possible(graph.in(key.child()))
                && graph.in(key.parent()).kind() == Kind.TENANT && !graph.reachedOnlyThrough(key)
                && !namesTheTenantTable(key)).toList();
    }

    // A key from the tenant column to the tenant table's key (tenant_id -> tenants.id): a row in scope has T there, so
    // it references T's own row; no such key can reach another tenant.
    private boolean namesTheTenantTable(ForeignKey key) {
        return key.parent().equals(plan.tenantTable) && key.childColumns().equals(List.of(plan.column))
                && key.parentColumns().equals(plan.tenantTable.primaryKey()) && key.wholeTables()
                && graph.in(key.child()).kind() == Kind.TENANT;
    }

    /** {@code metadata.scope}: the tenant, how each table was reached, what was left out and why. */
    public ScopeMetadata metadata(List<ScopeMetadata.CrossReference> crossReferences, Long total) {
        Map<String, List<String>> reached = new LinkedHashMap<>();
        List<ScopeMetadata.LeftOut> leftOut = new ArrayList<>();
        for (DumpTable table : plan.tables) {
            Node in = graph.in(table);
            if (graph.possible(in)) {
                reached.put(plan.keyOf.apply(table), reasons(table));
            } else {
                leftOut.add(new ScopeMetadata.LeftOut(plan.keyOf.apply(table), "it has no column " + plan.column
                        + ", and no foreign key leads to it from the tenant's rows or from a row in the document"));
            }
        }
        // A key declared on some partitions only cannot be checked from the document, which does not say where a row
        // lies: verify checks the others.
        List<ScopeMetadata.Reference> references = plan.keys.stream().filter(key -> graph.possible(graph.in(key.child()))
                && graph.possible(graph.in(key.parent())) && key.wholeTables())
                .map(key -> new ScopeMetadata.Reference(key.name(), plan.keyOf.apply(key.child()), key.childColumns(),
                        plan.keyOf.apply(key.parent()), key.parentColumns())).toList();
        return new ScopeMetadata(plan.column, Optional.ofNullable(plan.tenantTable).map(plan.keyOf).orElse(null),
                tenant.asked(),
                reached,
                leftOut, references, crossReferences, total);
    }

    private List<String> reasons(DumpTable table) {
        Node in = graph.in(table);
        if (in.kind() == Kind.TENANT) {
            return List.of(table.equals(plan.tenantTable) ? "tenant table (the tenant's own row)" : "tenant column "
                    + plan.column);
        }
        List<String> reasons = new ArrayList<>();
        for (Dep dep : graph.deps(graph.own(table))) {
            reasons.add("referencing " + plan.keyOf.apply(dep.key().parent()) + " through " + dep.key().name());
        }
        for (Dep dep : graph.deps(in)) {
            if (dep.via() == ScopeGraph.Via.UP) {
                reasons.add("referenced by " + plan.keyOf.apply(dep.key().child()) + " through " + dep.key().name());
            }
        }
        return reasons;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL wrote JSON that does not parse: " + text, e);
        }
    }
}
