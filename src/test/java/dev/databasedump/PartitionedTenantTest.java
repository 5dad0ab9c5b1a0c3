package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partitioned table is one table to a tenant's scope, whichever way its keys are declared (tenants/partitioned.sql):
 * on every partition and not on the parent, on a sub-partitioned middle level, on some partitions only, referencing a
 * partition; a default partition; a table partitioned by the tenant column; partitions attached and detached.
 */
class PartitionedTenantTest extends DumpIntegrationTest {

    private static final String SCHEMA = "/tenants/partitioned.sql";

    @BeforeEach
    void schema() {
        db.executeScript(SCHEMA);
    }

    private Map<String, String> tenantSettings() {
        Map<String, String> settings = settings();
        settings.put("dump.tenant.column", "store_id");
        settings.put("dump.tenant.table", "store");
        return settings;
    }

    @Test
    void should_follow_keys_declared_on_partitions_in_both_directions_as_the_partitioned_tables() {
        Dump one = tenantDump(tenantSettings(), "1");
        Dump two = tenantDump(tenantSettings(), "2");

        assertThat(values(one, "payment", "payment_id")).as("every partition, the default one and sub-partitions")
                .containsExactly("1", "2", "3", "5");
        assertThat(values(two, "payment", "payment_id")).containsExactly("4", "6", "7");
        assertThat(values(one, "refund", "refund_id")).as("a key referencing a partition").containsExactly("1");
        assertThat(values(two, "refund", "refund_id")).containsExactly("2");
        assertThat(values(one, "staff", "staff_id")).as("named through the key of 2026's partitions only: not staff 8,"
                + " whom a 2025 payment names without a key").containsExactly("7");
        assertThat(values(two, "staff", "staff_id")).containsExactly("8");
        assertThat(values(one, "rental", "rental_id")).containsExactly("1");
        assertThat(texts(one.metadata().at("/scope/tables/payment"))).containsExactly(
                "referencing customer through payment_2025_customer_id_fkey");
        assertThat(one.metadata().at("/scope/left_out")).isEmpty();
    }

    @Test
    void should_verify_restore_and_import_a_tenant_through_the_keys_of_its_partitions() throws Exception {
        Map<String, String> settings = tenantSettings();
        settings.put("dump.verify-after-upload", "true");
        Dump one = tenantDump(settings, "1");
        try (TestDatabase copy = TestDatabase.create()) {
            String script = TenantDumpTest.script(SCHEMA);
            copy.execute(script.substring(0, script.indexOf("\n-- rows")));
            settings.put("dump.restore.db.url", copy.url());
            try (DumpApplication app = DumpApplication.start(settings)) {
                JsonNode summary = StoredDump.EXACT_JSON.readTree(app.restore(one.key()));
                assertThat(summary.get("foreign_keys").asInt()).as("the partitions' keys are checked too")
                        .isGreaterThanOrEqualTo(6);
            }
        }
        String twoBefore = tenantDump(tenantSettings(), "2").data().toString();
        db.execute("DELETE FROM refund WHERE refund_id = 1", "UPDATE payment SET amount = 99 WHERE payment_id = 3",
                "INSERT INTO payment VALUES (8, 10, 7, 8.00, '2026-08-01')");
        settings = tenantSettings();
        settings.put("dump.restore.db.url", db.url());
        settings.put("dump.restore.tenant-mode", "replace");
        JsonNode summary;
        try (DumpApplication app = DumpApplication.start(settings)) {
            summary = StoredDump.EXACT_JSON.readTree(app.restore(one.key()));
        }

        assertThat(tenantDump(tenantSettings(), "1").data().toString()).isEqualTo(one.data().toString());
        assertThat(tenantDump(tenantSettings(), "2").data().toString()).isEqualTo(twoBefore);
        assertThat(summary.at("/tenant_import/tables/payment/deleted").asLong()).as("the changed and the new payment")
                .isEqualTo(2);
        assertThat(summary.at("/tenant_import/tables/payment/unchanged").asLong()).isEqualTo(3);
    }

    @Test
    void should_refuse_a_restore_that_breaks_a_key_declared_on_a_partition() throws Exception {
        Map<String, String> settings = tenantSettings();
        settings.put("dump.exclude-tables", "customer");
        Dump withoutCustomers = dump(settings);
        try (TestDatabase copy = TestDatabase.create()) {
            String script = TenantDumpTest.script(SCHEMA);
            copy.execute(script.substring(0, script.indexOf("\n-- rows")));
            settings.put("dump.restore.db.url", copy.url());
            Throwable failure;
            try (DumpApplication app = DumpApplication.start(settings)) {
                failure = catchThrowable(() -> app.restore(withoutCustomers.key()));
            }

            assertThat(failure).isNotNull();
            assertThat(failure.getCause().getMessage()).contains("foreign key payment_2025_customer_id_fkey of public.payment does"
                    + " not hold");
            assertThat(copy.count("SELECT count(*) FROM payment")).as("rolled back").isZero();
        }
    }

    @Test
    void should_follow_a_partition_as_its_own_table_once_detached_and_as_the_parent_again_once_attached() {
        db.execute("ALTER TABLE rental DETACH PARTITION rental_1");
        Dump detached = tenantDump(tenantSettings(), "1");
        db.execute("ALTER TABLE rental ATTACH PARTITION rental_1 FOR VALUES IN (1)");
        Dump attached = tenantDump(tenantSettings(), "1");

        assertThat(values(detached, "rental_1", "rental_id")).containsExactly("1");
        assertThat(values(detached, "rental", "rental_id")).isEmpty();
        assertThat(attached.data().has("rental_1")).isFalse();
        assertThat(values(attached, "rental", "rental_id")).containsExactly("1");
    }

    static List<String> values(Dump dump, String table, String column) {
        JsonNode rows = dump.table(table);
        assertThat(rows).as("table " + table + " in the document").isNotNull();
        List<String> values = new ArrayList<>();
        rows.forEach(row -> values.add(row.get(column).asText()));
        return values;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
