package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A restore that must not go ahead says why in one line, before writing anything; one that fails on the way leaves
 * the target exactly as it was.
 */
class RestoreFailuresTest extends DumpIntegrationTest {

    private static final String SCHEMA = """
            CREATE TABLE clients (id int PRIMARY KEY, name text NOT NULL);
            CREATE TABLE invoices (id int PRIMARY KEY, client_id int REFERENCES clients, total numeric(12, 2));
            """;

    private TestDatabase target;

    @BeforeEach
    void sourceWithRowsAndEmptyTarget() {
        target = TestDatabase.create();
        db.execute(SCHEMA, "INSERT INTO clients SELECT g, 'client ' || g FROM generate_series(1, 50) g",
                "INSERT INTO invoices SELECT g, 1 + g % 50, g * 1.5 FROM generate_series(1, 2000) g");
        target.execute(SCHEMA);
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

    private Throwable failedRestore(Map<String, String> settings, String key) {
        try (DumpApplication app = DumpApplication.start(settings)) {
            Throwable failure = catchThrowable(() -> app.restore(key));
            assertThat(failure).as("the restore should have failed").isNotNull();
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            assertThat(cause).isInstanceOf(DumpFailedException.class);
            assertThat(cause.getMessage()).doesNotContain("\n");
            return cause;
        }
    }

    private long targetRows() {
        return target.count("SELECT (SELECT count(*) FROM clients) + (SELECT count(*) FROM invoices)");
    }

    @Test
    void should_refuse_a_target_whose_tables_hold_rows_naming_them_and_write_nothing() {
        target.execute("INSERT INTO clients VALUES (999, 'already here')");
        Dump dump = dump(restoreSettings());

        Throwable failure = failedRestore(restoreSettings(), dump.key());

        assertThat(failure.getMessage()).isEqualTo("the target's tables must be empty, and public.clients is not"
                + " (set dump.restore.truncate=true to empty exactly the tables restored, in the same transaction, or"
                + " restore one tenant with dump.restore.tenant); nothing was restored");
        assertThat(targetRows()).isEqualTo(1);
    }

    @Test
    void should_empty_exactly_the_tables_it_loads_when_asked_to_truncate() throws Exception {
        target.execute("INSERT INTO clients VALUES (999, 'already here')", "CREATE TABLE untouched (id int)",
                "INSERT INTO untouched VALUES (1)");
        Map<String, String> settings = restoreSettings();
        settings.put("dump.restore.truncate", "true");
        Dump dump = dump(settings);

        try (DumpApplication app = DumpApplication.start(settings)) {
            JsonNode summary = StoredDump.EXACT_JSON.readTree(app.restore(dump.key()));
            assertThat(summary.get("truncated").asBoolean()).isTrue();
        }

        assertThat(target.count("SELECT count(*) FROM clients WHERE id = 999")).isZero();
        assertThat(targetRows()).isEqualTo(2050);
        assertThat(target.count("SELECT count(*) FROM untouched")).isEqualTo(1);
    }

    @Test
    void should_name_every_missing_table_and_column_and_every_type_that_differs_before_writing() {
        Dump dump = dump(restoreSettings());
        target.execute("DROP TABLE invoices", "ALTER TABLE clients ALTER COLUMN name TYPE varchar(20)",
                "ALTER TABLE clients RENAME COLUMN id TO client_id");

        Throwable failure = failedRestore(restoreSettings(), dump.key());

        assertThat(failure.getMessage()).isEqualTo("the target does not match the dump: table public.clients has no"
                + " column id; column name of public.clients is text in the dump but character varying(20) in the"
                + " target; table public.invoices does not exist in the target; nothing was restored");
        assertThat(target.count("SELECT count(*) FROM clients")).isZero();
    }

    @Test
    void should_write_nothing_from_a_dump_whose_bytes_do_not_match_its_checksum() {
        Dump dump = dump(restoreSettings());
        String damaged = new String(dump.stored().storedBytes(), StandardCharsets.UTF_8)
                .replace("\"client 7\"", "\"client 8\"");
        s3.client().putObject(PutObjectRequest.builder().bucket(bucket).key(dump.key()).build(),
                RequestBody.fromString(damaged));

        Throwable failure = failedRestore(restoreSettings(), dump.key());

        assertThat(failure.getMessage()).startsWith("the dump's SHA-256 is ")
                .endsWith(" where its checksum file says " + dump.stored().sha256() + ": nothing was restored");
        assertThat(targetRows()).isZero();
    }

    @Test
    void should_roll_back_every_table_when_a_row_fails_midway() {
        Dump dump = dump(restoreSettings());
        // The 1500th invoice breaks a rule the target has and the source had not.
        target.execute("ALTER TABLE invoices ADD CONSTRAINT below_2000 CHECK (total < 2250)");

        Throwable failure = failedRestore(restoreSettings(), dump.key());

        assertThat(failure.getMessage()).startsWith("restoring table public.invoices failed: ERROR: new row for"
                + " relation \"invoices\" violates check constraint \"below_2000\"");
        assertThat(targetRows()).as("clients were loaded first, and rolled back").isZero();
    }

    @Test
    void should_roll_back_when_the_store_fails_midway() throws Exception {
        Dump dump = dump(restoreSettings());
        // The dump's download is cut after a few kilobytes of its body.
        CuttingProxy.Rule cutTheDownload = (all, connection, chunk) -> false;
        try (CuttingProxy proxy = new CuttingProxy(s3.endpoint().getPort(), cutTheDownload)
                .cuttingAnswersTo((all, connection, chunk) -> chunk.startsWith("GET /" + bucket + "/dumps/")
                        && chunk.contains(".json HTTP/1.1"), 20_000)) {
            Map<String, String> settings = restoreSettings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + proxy.port());

            Throwable failure = failedRestore(settings, dump.key());

            assertThat(failure.getMessage()).startsWith("reading s3://" + bucket + "/" + dump.key() + " failed");
        }
        assertThat(targetRows()).isZero();
    }

    @Test
    void should_fail_naming_the_foreign_key_that_rows_of_a_filtered_restore_break() {
        Dump dump = dump(restoreSettings());
        Map<String, String> settings = restoreSettings();
        settings.put("dump.restore.include-tables", "invoices");

        Throwable failure = failedRestore(settings, dump.key());

        assertThat(failure.getMessage()).isEqualTo("foreign key invoices_client_id_fkey of public.invoices does not"
                + " hold: rows reference rows of public.clients that are not there (a dump made with table filters"
                + " can hold such rows); nothing was restored");
        assertThat(targetRows()).isZero();
    }

    @Test
    void should_fail_naming_the_table_when_row_security_would_filter_the_role() {
        String role = target.name() + "_writer";
        target.execute("CREATE ROLE " + role + " LOGIN", "GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO "
                + role, "ALTER TABLE clients ENABLE ROW LEVEL SECURITY",
                "CREATE POLICY nobody ON clients USING (false)", "ALTER TABLE invoices DROP CONSTRAINT"
                + " invoices_client_id_fkey");
        try {
            Dump dump = dump(restoreSettings());
            Map<String, String> settings = restoreSettings();
            settings.put("dump.restore.db.user", role);

            Throwable failure = failedRestore(settings, dump.key());

            assertThat(failure.getMessage()).startsWith("restoring table public.clients failed: ERROR: query would be"
                    + " affected by row-level security policy for table \"clients\"");
        } finally {
            target.execute("DROP OWNED BY " + role, "DROP ROLE " + role);
        }
        assertThat(targetRows()).isZero();
    }

    @Test
    void should_refuse_a_second_restore_into_the_same_database_while_one_runs() throws Exception {
        Dump dump = dump(restoreSettings());
        try (Connection other = target.connect()) {
            other.setAutoCommit(false);
            other.createStatement().execute("SELECT pg_advisory_xact_lock(" + 0x44554d5052L + ")");

            Throwable failure = failedRestore(restoreSettings(), dump.key());

            assertThat(failure.getMessage()).isEqualTo("another restore into database " + target.name()
                    + " is running");
            other.rollback();
        }
        assertThat(targetRows()).isZero();
    }
}
