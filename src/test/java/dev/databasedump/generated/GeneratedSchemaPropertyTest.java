package dev.databasedump.generated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Tenant dumps of schemas nobody wrote: made at random ({@link Schemas}), each checked against an oracle of its own
 * ({@link ScopeOracle}: plain SELECTs and a fixpoint in Java, none of the scope's SQL). For every tenant of every
 * generated database, the dump holds exactly the oracle's rows, or, where the oracle finds a reference to another
 * tenant's row, fails naming one (with {@code report}: lists exactly as many). For the first tenant dumped whole:
 * verify passes, a restore into an empty copy passes every foreign key, and an import into a copy holding the other
 * tenants leaves them as they were. CI runs a fixed seed (-Dtenant.tries, default 25, sets how many schemas); a
 * counterexample prints as the SQL that makes it, to keep as a plain test.
 */
class GeneratedSchemaPropertyTest {

    private final S3ProxyServer s3 = S3ProxyServer.get();

    @Provide
    Arbitrary<GeneratedSchema> generated() {
        return Schemas.schemas();
    }

    @Property(seed = "20261206", shrinking = ShrinkingMode.BOUNDED)
    void every_tenants_dump_of_a_generated_schema_holds_what_the_oracle_finds(
            @ForAll("generated") GeneratedSchema schema) throws Exception {
        boolean report = schema.dataSeed() % 2 == 0;
        Statistics.label("schemas").collect(schema.tables().stream().anyMatch(table -> table.partitioning()
                != GeneratedSchema.Partitioning.NONE) ? "with a partitioned table" : "without");
        Path tmp = Files.createTempDirectory("generated-schema");
        try (TestDatabase db = TestDatabase.create(); TestDatabase empty = TestDatabase.create();
             TestDatabase others = TestDatabase.create()) {
            db.execute(schema.script());
            empty.execute(schema.schemaSql());
            String bucket = s3.createBucket();
            Map<String, String> settings = DumpApplication.settings(db, bucket, tmp);
            settings.put("dump.tenant.column", "tenant_id");
            if (schema.tenantTable()) {
                settings.put("dump.tenant.table", "tenants");
            }
            settings.put("dump.tenant.cross-references", report ? "report" : "fail");
            settings.put("dump.restore.db.url", empty.url());
            boolean checkedWhole = false;
            try (DumpApplication app = DumpApplication.start(settings)) {
                for (String tenant : schema.tenants()) {
                    ScopeOracle oracle;
                    try (Connection connection = db.connect()) {
                        oracle = ScopeOracle.of(connection, schema, tenant);
                    }
                    Statistics.label("tenant dumps").collect(oracle.crossReferences().isEmpty() ? "whole"
                            : report ? "reporting references to other tenants" : "refused for them");
                    if (!oracle.crossReferences().isEmpty() && !report) {
                        Throwable failure = catchThrowable(() -> app.dump(tenant));
                        assertThat(failure).as("a dump of %s must fail on its references %s", tenant,
                                oracle.crossReferences()).isNotNull();
                        String line = failure.getCause().getMessage();
                        assertThat(line).contains("references another tenant's row");
                        assertThat(oracle.crossReferences()).anyMatch(reference -> names(line, reference));
                        continue;
                    }
                    JsonNode summary = StoredDump.EXACT_JSON.readTree(app.dump(tenant));
                    String key = summary.get("key").asText();
                    StoredDump stored = StoredDump.download(s3.client(), bucket, key);
                    assertThat(rowsByTable(stored.json())).as("tenant %s", tenant).isEqualTo(
                            withoutEmpty(oracle.rows()));
                    assertThat(summary.at("/metadata/scope/cross_references_total").asLong(0))
                            .as("references to other tenants' rows").isEqualTo(oracle.crossReferences().size());
                    if (!oracle.crossReferences().isEmpty() || checkedWhole) {
                        continue;
                    }
                    checkedWhole = true;
                    JsonNode verified = StoredDump.EXACT_JSON.readTree(app.verify(key));
                    assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
                    JsonNode restored = StoredDump.EXACT_JSON.readTree(app.restore(key));
                    assertThat(restored.get("rows").asLong()).isEqualTo(summary.at("/metadata/total_rows").asLong());
                    importIntoACopyOfTheOthers(schema, db, others, bucket, tmp, tenant, key);
                }
            }
        } finally {
            try (var files = Files.list(tmp)) {
                assertThat(files).as("temporary files").isEmpty();
            }
            Files.deleteIfExists(tmp);
        }
    }

    // A copy of the whole database takes the tenant's dump in again (replace): the tenant is as it was, and every
    // other tenant's rows are as they were, to the byte.
    private void importIntoACopyOfTheOthers(GeneratedSchema schema, TestDatabase db, TestDatabase copy,
            String bucket, Path tmp, String tenant, String key) throws Exception {
        copy.execute(schema.script());
        Map<String, ScopeOracle> before = new LinkedHashMap<>();
        try (Connection connection = copy.connect()) {
            for (String other : schema.tenants()) {
                before.put(other, ScopeOracle.of(connection, schema, other));
            }
        }
        Map<String, String> settings = DumpApplication.settings(db, bucket, tmp);
        settings.put("dump.tenant.column", "tenant_id");
        if (schema.tenantTable()) {
            settings.put("dump.tenant.table", "tenants");
        }
        settings.put("dump.restore.db.url", copy.url());
        settings.put("dump.restore.tenant-mode", "replace");
        try (DumpApplication app = DumpApplication.start(settings)) {
            app.restore(key);
        }
        try (Connection connection = copy.connect()) {
            for (String other : schema.tenants()) {
                assertThat(ScopeOracle.of(connection, schema, other).rows()).as("tenant %s after importing %s", other,
                        tenant).isEqualTo(before.get(other).rows());
            }
        }
    }

    // The failure names the table and the key of one of the references the oracle found ("t2 t2_f0"); a key declared
    // on partitions goes by the name of its first copy ("t2_f0_t2_p0").
    private static boolean names(String line, String reference) {
        String[] tableAndKey = reference.split(" ");
        return line.contains(" of " + tableAndKey[0] + " references") && line.contains(" through " + tableAndKey[1]);
    }

    // Per table, its rows' text as the document holds them (one row a line), sorted.
    private static Map<String, List<String>> rowsByTable(String document) {
        Map<String, List<String>> tables = new TreeMap<>();
        List<String> current = null;
        for (String line : document.split("\n", -1)) {
            if (line.matches("^,?\"[^\"]+\":\\[$") || line.matches("^\\{\"metadata.*") || line.startsWith("\"data\"")) {
                if (line.endsWith(":[")) {
                    current = new ArrayList<>();
                    tables.put(line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')), current);
                }
                continue;
            }
            if (current != null && line.startsWith("{")) {
                current.add(line.endsWith(",") ? line.substring(0, line.length() - 1) : line);
            }
        }
        tables.replaceAll((table, rows) -> rows.stream().sorted().toList());
        return withoutEmpty(tables);
    }

    private static Map<String, List<String>> withoutEmpty(Map<String, List<String>> tables) {
        Map<String, List<String>> kept = new TreeMap<>();
        tables.forEach((table, rows) -> {
            if (!rows.isEmpty()) {
                kept.put(table, rows);
            }
        });
        return kept;
    }
}
