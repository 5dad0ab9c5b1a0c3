package dev.databasedump.scope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.RowFilter;
import dev.databasedump.database.TableCatalog;
import dev.databasedump.settings.TableFilter;
import dev.databasedump.settings.TenantSettings;
import dev.databasedump.support.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A table partitioned by the tenant column (LIST or HASH on it, the common multi-tenant layout) is read from the
 * tenant's partition only: the planner prunes the others from the very query the dump runs.
 */
class TenantPartitionPlanTest {

    private TestDatabase db;

    @BeforeEach
    void schema() {
        db = TestDatabase.create();
        db.executeScript("/tenants/partitioned.sql");
        db.execute("CREATE TABLE visit (visit_id bigint, store_id int NOT NULL, PRIMARY KEY (visit_id, store_id))"
                + " PARTITION BY HASH (store_id)");
        for (int i = 0; i < 4; i++) {
            db.execute("CREATE TABLE visit_" + i + " PARTITION OF visit FOR VALUES WITH (MODULUS 4, REMAINDER " + i + ")");
        }
        db.execute("INSERT INTO visit SELECT g, 1 + g % 3 FROM generate_series(1, 300) g", "ANALYZE");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void should_read_a_table_partitioned_by_the_tenant_column_from_the_tenants_partition_only() throws Exception {
        try (Connection connection = db.connect()) {
            List<DumpTable> tables = new TableCatalog(List.of("public"), TableFilter.all()).list(connection);
            TenantScope scope = TenantScope.plan(connection, tables, new TenantSettings(Optional.of("store_id"),
                    Optional.of("store"), TenantSettings.CrossReferences.FAIL, 1), "1", DumpTable::name);

            List<String> rental = scanned(connection, table(tables, "rental"), scope.filter(table(tables, "rental")));
            List<String> visit = scanned(connection, table(tables, "visit"), scope.filter(table(tables, "visit")));

            assertThat(rental).containsExactly("rental_1");
            assertThat(visit).hasSize(1).allMatch(partition -> partition.startsWith("visit_"));
        }
    }

    // The relations the plan of the tenant's query on the table scans.
    private static List<String> scanned(Connection connection, DumpTable table, RowFilter filter) throws Exception {
        List<String> scanned = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet plan = statement.executeQuery("EXPLAIN (COSTS OFF) " + filter.with() + " SELECT to_json(t.*)"
                     + " FROM " + table.qualifiedIdentifier() + " AS t WHERE " + filter.where())) {
            while (plan.next()) {
                String line = plan.getString(1);
                int on = line.indexOf(" on ");
                if (line.contains("Scan") && on >= 0) {
                    scanned.add(line.substring(on + 4).split(" ")[0]);
                }
            }
        }
        return scanned;
    }

    private static DumpTable table(List<DumpTable> tables, String name) {
        return tables.stream().filter(table -> table.name().equals(name)).findFirst().orElseThrow();
    }
}
