package dev.databasedump.generated;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Counterexamples the generated-schema property found, each shrunk by jqwik and kept here as it printed it, with what
 * it showed: a plain test each, so that the case stays tested whatever the generator makes next.
 */
class FoundByGeneratedSchemasTest extends DumpIntegrationTest {

    /**
     * Tries 54 of seed 20261206, shrunk: replacing tenant 1 deleted tenant 3's row of partition t0_p0, found by its
     * position (ctid) alone, which the tenant's row of partition t0_p1 had too. Positions repeat across partitions.
     */
    @Test
    void should_replace_a_tenant_of_a_partitioned_table_leaving_another_tenants_row_at_the_same_place_of_another_partition()
            throws Exception {
        String schema = """
                CREATE TABLE tenants (id bigint PRIMARY KEY, name text);
                CREATE TABLE t0 (tenant_id bigint NOT NULL, part int NOT NULL, f0_id date NOT NULL)
                  PARTITION BY LIST (part);
                CREATE TABLE t0_p0 PARTITION OF t0 FOR VALUES IN (0);
                CREATE TABLE t0_p1 PARTITION OF t0 FOR VALUES IN (1);
                CREATE TABLE t0_pd PARTITION OF t0 DEFAULT;
                CREATE TABLE t1 (id date NOT NULL, code text NOT NULL, tenant_id bigint NOT NULL, PRIMARY KEY (id),
                  UNIQUE (id, code));
                ALTER TABLE t0 ADD CONSTRAINT t0_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
                ALTER TABLE t0_p0 ADD CONSTRAINT t0_f0_t0_p0 FOREIGN KEY (f0_id) REFERENCES t1 (id)
                  DEFERRABLE INITIALLY DEFERRED;
                ALTER TABLE t0_p1 ADD CONSTRAINT t0_f0_t0_p1 FOREIGN KEY (f0_id) REFERENCES t1 (id)
                  DEFERRABLE INITIALLY DEFERRED;
                ALTER TABLE t0_pd ADD CONSTRAINT t0_f0_t0_pd FOREIGN KEY (f0_id) REFERENCES t1 (id)
                  DEFERRABLE INITIALLY DEFERRED;
                ALTER TABLE t1 ADD CONSTRAINT t1_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id);
                """;
        String rows = """
                INSERT INTO tenants VALUES ('1', 'tenant 1'), ('2', 'tenant 2'), ('3', 'tenant 3');
                INSERT INTO t1 (id, code, tenant_id) VALUES ('2026-01-02', 'c1', '1');
                INSERT INTO t0 (tenant_id, part, f0_id) VALUES ('1', 1, '2026-01-02'), ('1', 1, '2026-01-02'),
                  ('3', 1, '2026-01-02'), ('3', 0, '2026-01-02');
                """;
        db.execute(schema, rows);
        Map<String, String> settings = settings();
        settings.put("dump.tenant.column", "tenant_id");
        settings.put("dump.tenant.table", "tenants");
        String key;
        try (DumpApplication app = DumpApplication.start(settings)) {
            key = StoredDump.EXACT_JSON.readTree(app.dump("1")).get("key").asText();
        }
        try (TestDatabase copy = TestDatabase.create()) {
            copy.execute(schema, rows);
            settings.put("dump.restore.db.url", copy.url());
            settings.put("dump.restore.tenant-mode", "replace");
            try (DumpApplication app = DumpApplication.start(settings)) {
                app.restore(key);
            }

            assertThat(copy.strings("SELECT tenant_id || '/' || part FROM t0 ORDER BY 1")).containsExactly("1/1",
                    "1/1", "3/0", "3/1");
        }
    }
}
