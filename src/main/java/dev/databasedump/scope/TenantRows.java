package dev.databasedump.scope;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.RowFilter;
import dev.databasedump.database.RowScope;
import dev.databasedump.database.StepFailedException;
import dev.databasedump.document.ScopeMetadata;
import dev.databasedump.settings.TenantSettings;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A tenant dump's rows: the {@link TenantScope} planned inside the snapshot, its filters, and, once the tables are
 * locked, the privacy guard: a row of the tenant's that references another tenant's row fails the dump, naming it,
 * unless {@code dump.tenant.cross-references=report}, which exports it and lists every such reference in the metadata.
 */
public final class TenantRows implements RowScope {

    private final TenantSettings settings;
    private final String tenant;
    private final Function<DumpTable, String> keyOf;
    private ScopePlan plan;
    private boolean written;
    private TenantScope scope;
    private ScopeMetadata metadata;

    /** @param keyOf how the document names a table */
    public TenantRows(TenantSettings settings, String tenant, Function<DumpTable, String> keyOf) {
        this.settings = settings;
        this.tenant = tenant;
        this.keyOf = keyOf;
    }

    /**
     * A tenant of a round, whose plan is made once for every tenant.
     *
     * @param written whether the database wrote the id itself (the tenant table's key, a tenant column's value), so
     *                no cast need check it
     */
    public TenantRows(TenantSettings settings, ScopePlan plan, String tenant, boolean written) {
        this(settings, tenant, plan.keyOf);
        this.plan = plan;
        this.written = written;
    }

    public String tenant() {
        return tenant;
    }

    @Override
    public Map<DumpTable, RowFilter> choose(Connection connection, List<DumpTable> listed)
            throws StepFailedException {
        plan = ScopePlan.of(connection, listed, settings, keyOf);
        scope = plan.forTenant(connection, tenant);
        scope.requireKnown(connection);
        plan.warnOfMissingIndexes(connection);
        return filters();
    }

    /** In a round's snapshot, planned already: the filter of each table the tenant's rows can reach. */
    public Map<DumpTable, RowFilter> choose(Connection connection) throws StepFailedException {
        scope = written ? plan.forWrittenTenant(connection, tenant) : plan.forTenant(connection, tenant);
        return filters();
    }

    private Map<DumpTable, RowFilter> filters() {
        Map<DumpTable, RowFilter> chosen = new LinkedHashMap<>();
        scope.tables().forEach(table -> chosen.put(table, scope.filter(table)));
        return chosen;
    }

    @Override
    public void check(Connection connection) throws StepFailedException {
        List<ScopeMetadata.CrossReference> found;
        Long total = null;
        try {
            if (settings.crossReferences() == TenantSettings.CrossReferences.FAIL) {
                found = scope.crossReferences(connection, 1);
            } else {
                found = scope.crossReferences(connection, TenantScope.LISTED);
                total = found.size() < TenantScope.LISTED ? (long) found.size()
                        : scope.countCrossReferences(connection);
            }
        } catch (SQLException e) {
            throw new StepFailedException("looking for references to other tenants' rows", e);
        }
        if (total == null && !found.isEmpty()) {
            ScopeMetadata.CrossReference first = found.get(0);
            throw StepFailedException.because("exporting tenant " + tenant, "its row " + first.key()
                    + " of " + first.table() + " references another tenant's row of " + first.references()
                    + " through " + first.foreignKey() + " (" + first.value() + "): a tenant dump never exports"
                    + " another tenant's row; set dump.tenant.cross-references=report to export the tenant's row and"
                    + " list every such reference in the metadata");
        }
        metadata = scope.metadata(total == null ? null : found, total);
    }

    /** The tenant's id as the database writes it, once chosen. */
    public String canonicalTenant() {
        return scope.canonicalTenant();
    }

    /** {@code metadata.scope}, once the snapshot is open. */
    public ScopeMetadata metadata() {
        return metadata;
    }
}
