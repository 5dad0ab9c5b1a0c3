package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.StepFailedException;
import dev.databasedump.settings.TenantSettings;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The tenant scope's rules over a dump's tables, planned once for any tenant: the catalog's foreign keys among them,
 * the graph of which rows follow from which, the tables a tenant's rows can reach, and the types of the columns that
 * name tenants. A tenant's dump plans and scopes its one tenant; a round of tenant dumps plans once and scopes each.
 */
public final class ScopePlan {

    final String column;
    final DumpTable tenantTable;
    final List<DumpTable> tables;
    final List<ForeignKey> keys;
    final ScopeGraph graph;
    final Function<DumpTable, String> keyOf;
    private final Map<DumpTable, String> tenantTypes;

    private ScopePlan(String column, DumpTable tenantTable, List<DumpTable> tables, List<ForeignKey> keys,
            Function<DumpTable, String> keyOf, Map<DumpTable, String> tenantTypes) {
        this.column = column;
        this.tenantTable = tenantTable;
        this.tables = tables;
        this.keys = keys;
        this.keyOf = keyOf;
        this.tenantTypes = tenantTypes;
        this.graph = new ScopeGraph(tables, keys, table -> table.equals(tenantTable) || table.hasColumn(column));
    }

    /**
     * Plans the scope over the dump's {@code tables}, named in the document as {@code keyOf} says.
     *
     * @throws StepFailedException when the settings name a tenant table or column the schemas do not have
     */
    public static ScopePlan of(Connection connection, List<DumpTable> tables, TenantSettings settings,
            Function<DumpTable, String> keyOf) throws StepFailedException {
        String column = settings.column().orElseThrow();
        DumpTable tenantTable = settings.table().isPresent() ? TenantScope.tenantTable(tables, settings.table().get())
                : null;
        if (tenantTable == null && tables.stream().noneMatch(table -> table.hasColumn(column))) {
            throw StepFailedException.because("planning the tenant's scope", "no table of the dump has column "
                    + column + " (dump.tenant.column)");
        }
        try {
            return new ScopePlan(column, tenantTable, tables, ForeignKeyCatalog.among(connection, tables), keyOf,
                    TenantId.types(connection, tables, column, tenantTable));
        } catch (SQLException e) {
            throw new StepFailedException("reading the foreign keys", e);
        }
    }

    /** {@code tenant}'s scope: its id read with each tenant column's type. */
    public TenantScope forTenant(Connection connection, String tenant) throws StepFailedException {
        try {
            return new TenantScope(this, TenantId.read(connection, tenantTypes, column, tenantTable, tenant));
        } catch (SQLException e) {
            throw new StepFailedException("reading tenant " + tenant, e);
        }
    }

    /**
     * The scope of a tenant whose id the database wrote itself (a round's list of tenants): no cast to ask where every
     * tenant column has one type; else as {@link #forTenant}.
     */
    public TenantScope forWrittenTenant(Connection connection, String tenant) throws StepFailedException {
        Optional<TenantId> written = TenantId.written(tenantTypes, column, tenantTable, tenant);
        return written.isPresent() ? new TenantScope(this, written.get()) : forTenant(connection, tenant);
    }

    /** The tables a tenant's rows can reach: those in any tenant's document, in the dump's order. */
    public List<DumpTable> tables() {
        return tables.stream().filter(table -> graph.possible(graph.in(table))).toList();
    }

    /** Per table in the document, the columns its rows in scope are looked up by, which want an index. */
    Map<DumpTable, List<List<String>>> lookups() {
        Map<DumpTable, List<List<String>>> lookups = new LinkedHashMap<>();
        for (DumpTable table : tables()) {
            List<List<String>> columns = new ArrayList<>();
            if (graph.in(table).kind() == ScopeGraph.Kind.TENANT && !table.equals(tenantTable)) {
                columns.add(List.of(column));
            }
            graph.deps(graph.own(table)).forEach(dep -> columns.add(dep.key().childColumns()));
            if (!columns.isEmpty()) {
                lookups.put(table, columns);
            }
        }
        return lookups;
    }

    /** Warns of each index a tenant's dump would miss on a large table (see {@link MissingIndexes}). */
    public void warnOfMissingIndexes(Connection connection) throws StepFailedException {
        try {
            MissingIndexes.warn(connection, lookups());
        } catch (SQLException e) {
            throw new StepFailedException("looking for the indexes a tenant's dump reads by", e);
        }
    }
}
