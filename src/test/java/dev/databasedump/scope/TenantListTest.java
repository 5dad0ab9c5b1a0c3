package dev.databasedump.scope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.TableCatalog;
import dev.databasedump.settings.TableFilter;
import dev.databasedump.settings.TenantSettings;
import dev.databasedump.support.TestDatabase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a round finds its tenants, and what it reads to find them. */
class TenantListTest {

    private TestDatabase db;

    @BeforeEach
    void schema() {
        db = TestDatabase.create();
        db.execute("CREATE TABLE cases (id int PRIMARY KEY, firm uuid NOT NULL, title text)",
                "CREATE INDEX ON cases (firm)",
                "CREATE TABLE events (id int PRIMARY KEY, firm uuid, at timestamptz)",
                "CREATE TABLE bills (id int, firm uuid NOT NULL, PRIMARY KEY (id, firm)) PARTITION BY HASH (firm)",
                "CREATE TABLE bills_0 PARTITION OF bills FOR VALUES WITH (MODULUS 2, REMAINDER 0)",
                "CREATE TABLE bills_1 PARTITION OF bills FOR VALUES WITH (MODULUS 2, REMAINDER 1)",
                "CREATE INDEX ON bills (firm)",
                "INSERT INTO cases SELECT g, ('00000000-0000-0000-0000-00000000000' || (g % 3))::uuid, 'c'"
                        + " FROM generate_series(1, 30000) g",
                "INSERT INTO events SELECT g, CASE WHEN g % 10 = 0 THEN NULL"
                        + " ELSE '00000000-0000-0000-0000-00000000000' || (3 + g % 2) END::uuid, now()"
                        + " FROM generate_series(1, 100) g",
                "INSERT INTO bills SELECT g, '00000000-0000-0000-0000-000000000005'::uuid FROM generate_series(1, 10) g",
                "ANALYZE");
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void should_find_every_value_of_the_tenant_column_through_its_index_and_read_a_table_without_one_once()
            throws Exception {
        try (Connection connection = db.connect()) {
            connection.setAutoCommit(false);
            TenantList.Listed listed = TenantList.read(connection, plan(connection, Optional.empty()), Optional.empty());

            assertThat(listed.ids()).containsExactlyInAnyOrder("00000000-0000-0000-0000-000000000000",
                    "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002",
                    "00000000-0000-0000-0000-000000000003", "00000000-0000-0000-0000-000000000004",
                    "00000000-0000-0000-0000-000000000005");
            assertThat(listed.byDatabase()).isTrue();
            // In this transaction: cases (30,000 rows, indexed) was never read whole, events (no index) once.
            assertThat(scans(connection, "cases")[0]).isZero();
            assertThat(scans(connection, "cases")[1]).isPositive();
            assertThat(scans(connection, "events")).containsExactly(1L, 0L);
        }
    }

    @Test
    void should_list_the_tenant_tables_keys_or_the_platforms_own_query() throws Exception {
        db.execute("CREATE TABLE firms (id uuid PRIMARY KEY, active boolean)",
                "INSERT INTO firms SELECT ('00000000-0000-0000-0000-00000000000' || g)::uuid, g % 2 = 0"
                        + " FROM generate_series(0, 5) g");
        try (Connection connection = db.connect()) {
            TenantList.Listed table = TenantList.read(connection, plan(connection, Optional.of("firms")),
                    Optional.empty());
            TenantList.Listed query = TenantList.read(connection, plan(connection, Optional.of("firms")),
                    Optional.of("SELECT id FROM firms WHERE active UNION ALL SELECT NULL"));

            assertThat(table.ids()).hasSize(6).isSorted();
            assertThat(table.byDatabase()).isTrue();
            assertThat(query.ids()).containsExactlyInAnyOrder("00000000-0000-0000-0000-000000000000",
                    "00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000004");
            assertThat(query.byDatabase()).as("a query's ids are checked by a cast").isFalse();
        }
    }

    private static ScopePlan plan(Connection connection, Optional<String> tenantTable) throws Exception {
        List<DumpTable> tables = new TableCatalog(List.of("public"), TableFilter.all()).list(connection);
        return ScopePlan.of(connection, tables, new TenantSettings(Optional.of("firm"), tenantTable,
                TenantSettings.CrossReferences.FAIL, 1), DumpTable::name);
    }

    // {sequential scans, index scans} of the table so far in this transaction.
    private static long[] scans(Connection connection, String table) throws Exception {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables"
                     + " WHERE relname = '" + table + "'")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }
}
