package dev.databasedump.rounds;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.ChildApplication;
import dev.databasedump.support.ChildApplication.Result;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code DUMP_TENANT=all} with run-once: one round, in a JVM of its own, and its exit code. */
class RunOnceRoundTest extends DumpIntegrationTest {

    private Path work;

    @BeforeEach
    void firms() throws Exception {
        db.execute("CREATE TABLE firms (id int PRIMARY KEY)", "INSERT INTO firms VALUES (1), (2), (3)",
                "CREATE TABLE matters (id int PRIMARY KEY, tenant_id int NOT NULL REFERENCES firms)",
                "CREATE TABLE notes (id int PRIMARY KEY, tenant_id int NOT NULL REFERENCES firms,"
                        + " matter_id int REFERENCES matters)",
                "INSERT INTO matters VALUES (1, 1), (2, 2), (3, 3)",
                "INSERT INTO notes VALUES (1, 1, 1), (2, 2, 2), (3, 3, 3)");
        work = Files.createDirectory(tmp.resolve("work"));
    }

    private Map<String, String> environment() {
        Map<String, String> env = ChildApplication.environmentOf(settings());
        env.put("DUMP_RUN_ONCE", "true");
        env.put("DUMP_TENANT", "all");
        env.put("DUMP_TENANT_COLUMN", "tenant_id");
        env.put("DUMP_TENANT_TABLE", "firms");
        return env;
    }

    @Test
    void should_dump_every_tenant_print_the_report_and_exit_zero() throws Exception {
        Result result = ChildApplication.run(environment(), null, work, 120);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        JsonNode report = StoredDump.EXACT_JSON.readTree(result.lastStdoutLine());
        assertThat(report.get("state").asText()).isEqualTo("finished");
        assertThat(report.get("done").asInt()).isEqualTo(3);
        assertThat(StoredDump.keys(s3.client(), bucket).stream().filter(key -> key.endsWith(".json")))
                .hasSize(3).allMatch(key -> key.startsWith("dumps/tenants/"));

        // Run again in the same period: every tenant is dumped already.
        Result again = ChildApplication.run(environment(), null, work, 120);
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(StoredDump.EXACT_JSON.readTree(again.lastStdoutLine()).get("skipped").asInt()).isEqualTo(3);
    }

    @Test
    void should_exit_one_naming_the_tenants_that_failed_after_dumping_the_others() throws Exception {
        db.execute("UPDATE notes SET matter_id = 3 WHERE id = 2");

        Result result = ChildApplication.run(environment(), null, work, 120);

        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(1);
        JsonNode report = StoredDump.EXACT_JSON.readTree(result.lastStdoutLine());
        assertThat(report.get("done").asInt()).isEqualTo(2);
        assertThat(report.at("/failures/0/tenant").asText()).isEqualTo("2");
        assertThat(result.stderr()).contains("1 failed").contains("first failures: 2: ").doesNotContain("\tat ");
    }

    @Test
    void should_exit_three_while_another_run_once_round_of_the_database_runs() throws Exception {
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + TenantRounds.RUN_ONCE_ROUND + ", 0)");
            }
            Result result = ChildApplication.run(environment(), null, work, 120);

            assertThat(result.exitCode()).as(result.stderr()).isEqualTo(3);
            assertThat(result.stderr()).contains("another run-once round of tenant dumps of this database is running");
        }
        assertThat(StoredDump.keys(s3.client(), bucket)).isEmpty();
    }
}
