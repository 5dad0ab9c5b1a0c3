package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A dump loaded back into a fresh copy of its schema is exactly the data it was taken from. */
class RestoreTest extends DumpIntegrationTest {

    private TestDatabase target;

    @BeforeEach
    void targetWithTheSameSchema() {
        target = TestDatabase.create();
    }

    @AfterEach
    void dropTarget() {
        target.close();
    }

    private Map<String, String> restoreSettings() {
        Map<String, String> settings = settings();
        settings.put("dump.restore.db.url", target.url());
        settings.put("dump.restore.db.user", target.adminUser());
        return settings;
    }

    private JsonNode restore(Map<String, String> settings, String key) throws Exception {
        try (DumpApplication app = DumpApplication.start(settings)) {
            return StoredDump.EXACT_JSON.readTree(app.restore(key));
        }
    }

    /** The document from "data" on: what a second dump of the target must equal byte for byte. */
    private static String dataOf(Dump dump) {
        String json = dump.stored().json();
        return json.substring(json.indexOf(",\n\"data\":{"));
    }

    @ParameterizedTest(name = "compression {0}")
    @ValueSource(strings = {"none", "gzip"})
    void should_restore_every_kind_of_table_exactly_without_firing_triggers(String compression) throws Exception {
        for (TestDatabase database : new TestDatabase[] {db, target}) {
            database.executeScript("/restore/every-kind-of-table.sql");
        }
        db.executeScript("/restore/every-kind-of-table-rows.sql");
        Map<String, String> settings = restoreSettings();
        settings.put("dump.compression", compression);
        Dump source = dump(settings);

        JsonNode summary = restore(settings, source.key());

        Map<String, String> ofTarget = settings();
        ofTarget.put("dump.db.url", target.url());
        assertThat(dataOf(dump(ofTarget))).isEqualTo(dataOf(source));
        assertThat(summary.get("rows").asLong()).isEqualTo(source.metadata().get("total_rows").asLong());
        assertThat(summary.get("tables").asInt()).isEqualTo(source.metadata().get("total_tables").asInt());
        assertThat(summary.get("triggers").asText()).isEqualTo("replica");
        // The audit trigger did not write a second copy of the audit rows, nor did the updated_at trigger touch them.
        assertThat(target.count("SELECT count(*) FROM audit_log")).isEqualTo(db.count("SELECT count(*) FROM audit_log"));
        assertThat(target.strings("SELECT updated_at::text FROM cases WHERE id = 1"))
                .containsExactly("2020-01-01 01:00:00+00");
        // Sequences continue past the restored rows, where the source's would.
        assertThat(target.count("SELECT nextval('cases_id_seq')")).isEqualTo(31);
        assertThat(target.count("SELECT nextval('organizations_id_seq')")).isEqualTo(6);
        assertThat(target.count("SELECT nextval('invoice_numbers')")).isEqualTo(1003);
        target.execute("INSERT INTO measurements (celsius) VALUES (0)");
        assertThat(target.count("SELECT max(id) FROM measurements")).isEqualTo(3);
    }
}
