package dev.databasedump.restore;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.RowFilter;
import dev.databasedump.database.StepFailedException;
import dev.databasedump.database.TableCatalog;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.TableKeys;
import dev.databasedump.scope.TenantScope;
import dev.databasedump.settings.TableFilter;
import dev.databasedump.settings.TenantImportSettings;
import dev.databasedump.settings.TenantSettings;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One tenant's data into a database that holds other data, in the restore's one transaction: a restore with a plan.
 * At the start, the tenant's own rows already in the target are found with the scope's rules, over the target's
 * tables and foreign keys, and deleted ({@code replace}), or must be absent ({@code insert}). The dump's rows are staged
 * in temporary copies of their tables; the plan then takes from them the tenant's scope (all of a tenant dump, one
 * tenant's share of a full dump) and decides, row by row, what is inserted: the tenant's rows (refused if a key
 * collides with a row of another tenant: ids are never remapped), and the shared rows they name that the target lacks
 * (one it holds is kept when it is the same, refused or kept when it differs). {@link ImportPlan} is what it decided.
 */
final class TenantImport {

    private final String tenant;
    private final TenantImportSettings settings;
    private final TenantSettings tenantSettings;
    private final ImportPlan plan;
    private final ReplacedRows replaced;
    private final Map<TargetTable, DumpTable> tables = new LinkedHashMap<>();
    private final Map<TargetTable, String> stages = new LinkedHashMap<>();
    private final Map<TargetTable, String> inserted = new LinkedHashMap<>();
    private TenantScope scope;
    private TenantScope staged;

    private TenantImport(String tenant, TenantImportSettings settings, TenantSettings tenantSettings) {
        this.tenant = tenant;
        this.settings = settings;
        this.tenantSettings = tenantSettings;
        this.plan = new ImportPlan(tenant, settings);
        this.replaced = new ReplacedRows(plan);
    }

    /**
     * The import {@code metadata}'s dump asks for: a tenant dump's tenant, or {@code dump.restore.tenant} out of a full
     * dump; empty for a whole restore.
     */
    static Optional<TenantImport> of(DumpMetadata metadata, TenantImportSettings settings, TenantSettings tenants)
            throws RestoreRefusedException {
        if (metadata.scope() != null) {
            String dumped = metadata.scope().tenant();
            if (settings.tenant().isPresent() && !settings.tenant().get().equals(dumped)) {
                throw new RestoreRefusedException("the dump holds the data of tenant " + dumped + ", not of "
                        + settings.tenant().get() + " (dump.restore.tenant)");
            }
            String table = metadata.scope().tenantTable() == null ? null
                    : new TableKeys(metadata.schemas()).parse(metadata.scope().tenantTable()).name();
            return Optional.of(new TenantImport(dumped, settings, new TenantSettings(
                    Optional.of(metadata.scope().tenantColumn()), Optional.ofNullable(table),
                    TenantSettings.CrossReferences.REPORT, 1)));
        }
        if (settings.tenant().isEmpty()) {
            return Optional.empty();
        }
        if (!tenants.enabled()) {
            throw new RestoreRefusedException("dump.restore.tenant needs dump.tenant.column (and dump.tenant.table,"
                    + " where the tenants have a table), which tell the tenant's rows apart");
        }
        return Optional.of(new TenantImport(settings.tenant().get(), settings, tenants));
    }

    String tenant() {
        return tenant;
    }

    boolean dryRun() {
        return settings.dryRun();
    }

    ImportPlan plan() {
        return plan;
    }

    /**
     * Plans the scope over the target's restored tables, then makes room for the tenant's rows: none may be there
     * ({@code insert}), or they are deleted ({@code replace}); and a staging copy of every table for the dump's rows.
     */
    void begin(Connection connection, List<TargetTable> restored, List<String> schemas)
            throws SQLException, RestoreRefusedException {
        Map<Long, TargetTable> byOid = new LinkedHashMap<>();
        restored.forEach(table -> byOid.put(table.oid(), table));
        for (DumpTable table : new TableCatalog(schemas, TableFilter.all()).list(connection)) {
            if (byOid.containsKey(table.oid())) {
                tables.put(byOid.get(table.oid()), table);
            }
        }
        try {
            scope = TenantScope.plan(connection, List.copyOf(tables.values()), tenantSettings, tenant,
                    DumpTable::displayName);
        } catch (StepFailedException e) {
            throw new RestoreRefusedException(e.getMessage());
        }
        if (settings.mode() == TenantImportSettings.Mode.INSERT) {
            refuseIfPresent(connection);
        } else {
            replaced.find(connection, tables, scope);
        }
        int n = 0;
        try (Statement statement = connection.createStatement()) {
            for (TargetTable table : tables.keySet()) {
                String stage = "pg_temp.database_dump_stage_" + n++;
                statement.execute("CREATE TEMPORARY TABLE " + stage.substring("pg_temp.".length()) + " (LIKE "
                        + table.qualified() + " INCLUDING DEFAULTS) ON COMMIT DROP");
                stages.put(table, stage);
            }
        }
        staged = scope.over(table -> stages.get(target(table)));
    }

    /** The relation a table's rows from the dump are loaded into: its staging copy. */
    String stageOf(TargetTable table) {
        return stages.get(table);
    }

    private void refuseIfPresent(Connection connection) throws SQLException, RestoreRefusedException {
        for (Map.Entry<TargetTable, DumpTable> table : tables.entrySet()) {
            if (scope.namesTenant(table.getValue()) && exists(connection, table.getKey(), scope.owned(table.getValue()))) {
                throw new RestoreRefusedException("tenant " + tenant + " is in the target already: "
                        + table.getKey().displayName() + " holds its rows (set dump.restore.tenant-mode=replace to"
                        + " replace them)");
            }
        }
    }

    /**
     * With every row staged: takes the tenant's scope out of the staging copies and inserts what the plan decides; what
     * it refuses is in the plan, and ends the restore (a dry run only reports it).
     */
    void apply(Connection connection) throws SQLException, RestoreRefusedException {
        int n = 0;
        try (Statement statement = connection.createStatement()) {
            for (String stage : stages.values()) {
                analyze(statement, stage);
            }
            for (Map.Entry<TargetTable, DumpTable> entry : tables.entrySet()) {
                if (scope.includes(entry.getValue())) {
                    // (A full dump's table the tenant's rows never reach has none of the tenant's rows.)
                    String insert = "database_dump_insert_" + n++;
                    takeScope(statement, entry.getKey(), entry.getValue(), insert);
                    inserted.put(entry.getKey(), "pg_temp." + insert);
                }
            }
        }
        if (settings.mode() == TenantImportSettings.Mode.REPLACE) {
            replaced.deleteChanged(connection, inserted);
        }
        for (Map.Entry<TargetTable, String> table : inserted.entrySet()) {
            new SharedRows(connection, table.getKey(), tables.get(table.getKey()), table.getValue(), settings, plan)
                    .sortOut();
        }
        for (Map.Entry<TargetTable, String> table : inserted.entrySet()) {
            new PlannedInsert(connection, table.getKey(), table.getValue(), plan).run();
        }
        if (!plan.refused().isEmpty() && !settings.dryRun()) {
            throw new RestoreRefusedException(plan.refusal());
        }
    }

    // The rows of the tenant's scope, copied out of the staging copy, each marked as the tenant's own or shared: its
    // own rows first, then the shared ones its rows name. Each staged row once (by its position in the staging copy).
    private void takeScope(Statement statement, TargetTable table, DumpTable catalogued, String insert)
            throws SQLException {
        String stage = stages.get(table);
        boolean owns = scope.owns(catalogued);
        RowFilter first = owns ? staged.owned(catalogued) : staged.filter(catalogued);
        statement.execute("CREATE TEMPORARY TABLE " + insert + " ON COMMIT DROP AS " + first.with() + " SELECT t.ctid AS "
                + PlannedInsert.TID + ", " + owns + " AS " + PlannedInsert.OWN + ", t.* FROM " + stage + " AS t WHERE "
                + first.where());
        if (owns && !scope.namesTenant(catalogued)) {
            RowFilter in = staged.filter(catalogued);
            statement.execute("INSERT INTO pg_temp." + insert + " " + in.with() + " SELECT t.ctid, false, t.* FROM "
                    + stage + " AS t WHERE " + in.where() + " AND NOT EXISTS (SELECT FROM pg_temp." + insert
                    + " AS i WHERE i." + PlannedInsert.TID + " = t.ctid)");
        }
        analyze(statement, insert);
    }

    /**
     * The foreign keys the import can have broken, checked where it can have broken them: every reference of an
     * inserted row, and every reference to a deleted row that was not put back. Work follows the tenant, not the
     * tables. Returns how many keys were checked; a key that does not hold is refused.
     */
    int checkReferences(Connection connection) throws SQLException, RestoreRefusedException {
        if (!plan.refused().isEmpty()) {
            // A dry run that refused rows did not insert them: what it refused explains what would break.
            return 0;
        }
        return new ImportReferences(connection, List.copyOf(tables.keySet()), inserted, replaced.deleted()).check();
    }

    // Temporary tables get no statistics of their own (autovacuum never sees them): without, the planner takes a
    // million staged rows for a few hundred and picks plans that spill and probe row by row.
    private static void analyze(Statement statement, String table) throws SQLException {
        statement.execute("ANALYZE " + table);
    }

    private TargetTable target(DumpTable table) {
        return tables.entrySet().stream().filter(entry -> entry.getValue().equals(table)).findFirst()
                .map(Map.Entry::getKey).orElseThrow();
    }

    private static boolean exists(Connection connection, TargetTable table, RowFilter filter) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(filter.with() + " SELECT EXISTS (SELECT 1 FROM " + table.qualified()
                     + " AS t WHERE " + filter.where() + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
