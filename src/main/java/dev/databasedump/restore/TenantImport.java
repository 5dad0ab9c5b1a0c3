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
    private final Map<TargetTable, DumpTable> tables = new LinkedHashMap<>();
    private final Map<TargetTable, String> stages = new LinkedHashMap<>();
    private final Map<TargetTable, String> gone = new LinkedHashMap<>();
    private final Map<TargetTable, String> inserted = new LinkedHashMap<>();
    private TenantScope scope;
    private TenantScope staged;

    private TenantImport(String tenant, TenantImportSettings settings, TenantSettings tenantSettings) {
        this.tenant = tenant;
        this.settings = settings;
        this.tenantSettings = tenantSettings;
        this.plan = new ImportPlan(tenant, settings);
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
            deleteOwnRows(connection);
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

    // Found first, all of them, then deleted: a cycle's rows are found through rows a delete would take away.
    private void deleteOwnRows(Connection connection) throws SQLException {
        int n = 0;
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<TargetTable, DumpTable> table : tables.entrySet()) {
                if (!scope.owns(table.getValue())) {
                    continue;
                }
                String name = "database_dump_gone_" + n++;
                RowFilter own = scope.owned(table.getValue());
                statement.execute("CREATE TEMPORARY TABLE " + name + " ON COMMIT DROP AS " + own.with()
                        + " SELECT t.ctid AS database_dump_tid, t.* FROM " + table.getKey().qualified() + " AS t WHERE "
                        + own.where());
                gone.put(table.getKey(), "pg_temp." + name);
            }
            for (Map.Entry<TargetTable, String> table : gone.entrySet()) {
                int deleted = statement.executeUpdate("DELETE FROM " + table.getKey().qualified() + " WHERE ctid IN"
                        + " (SELECT database_dump_tid FROM " + table.getValue() + ")");
                plan.deleted(table.getKey().dumpKey(), deleted);
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
            for (Map.Entry<TargetTable, DumpTable> entry : tables.entrySet()) {
                if (!scope.includes(entry.getValue())) {
                    // A full dump's table the tenant's rows never reach: none of its rows are the tenant's.
                    continue;
                }
                TargetTable table = entry.getKey();
                String insert = "database_dump_insert_" + n++;
                RowFilter in = staged.filter(entry.getValue());
                RowFilter own = staged.owned(entry.getValue());
                String stage = stages.get(table);
                // The tenant's rows; and the shared ones (in scope, not its own) that the target lacks.
                statement.execute("CREATE TEMPORARY TABLE " + insert + " ON COMMIT DROP AS " + in.with()
                        + " SELECT t.ctid AS tid, " + (scope.owns(entry.getValue()) ? own.where() : "false")
                        + " AS own FROM " + stage + " AS t WHERE " + in.where());
                inserted.put(table, "pg_temp." + insert);
                new SharedRows(connection, table, entry.getValue(), stage, "pg_temp." + insert, settings, plan)
                        .sortOut();
                new KeyCollisions(connection, table, stage, "pg_temp." + insert, plan).find();
            }
        }
        if (!plan.refused().isEmpty() && !settings.dryRun()) {
            throw new RestoreRefusedException(plan.refusal());
        }
        try (Statement statement = connection.createStatement()) {
            for (Map.Entry<TargetTable, String> table : inserted.entrySet()) {
                long rows = statement.executeLargeUpdate(table.getKey().insertFrom(stages.get(table.getKey()),
                        "s.ctid IN (SELECT tid FROM " + table.getValue() + ")"));
                plan.inserted(table.getKey().dumpKey(), rows);
            }
        }
    }

    /**
     * The foreign keys the import can have broken, checked where it can have broken them: every reference of an
     * inserted row, and every reference to a deleted row that was not put back. Work follows the tenant, not the
     * tables. Returns how many keys were checked; a key that does not hold is refused.
     */
    int checkReferences(Connection connection) throws SQLException, RestoreRefusedException {
        return new ImportReferences(connection, List.copyOf(tables.keySet()), stages, inserted, gone).check();
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
