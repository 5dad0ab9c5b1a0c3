package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.support.DumpIntegrationTest;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RowSecurityTest extends DumpIntegrationTest {

    private String limitedRole;
    private String bypassRole;

    @BeforeEach
    void tableWithForcedRowSecurity() {
        limitedRole = db.name() + "_limited";
        bypassRole = db.name() + "_bypass";
        db.execute(
                "CREATE TABLE open_table (id int PRIMARY KEY)",
                "INSERT INTO open_table VALUES (1)",
                "CREATE TABLE tenant_rows (id int PRIMARY KEY, tenant text)",
                "INSERT INTO tenant_rows VALUES (1, 'a'), (2, 'b'), (3, 'b')",
                "ALTER TABLE tenant_rows ENABLE ROW LEVEL SECURITY",
                "ALTER TABLE tenant_rows FORCE ROW LEVEL SECURITY",
                "CREATE POLICY only_tenant_a ON tenant_rows USING (tenant = 'a')",
                "CREATE ROLE " + limitedRole + " LOGIN",
                "CREATE ROLE " + bypassRole + " LOGIN BYPASSRLS",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + limitedRole + ", " + bypassRole);
    }

    @AfterEach
    void dropRoles() {
        // Roles are cluster-wide: drop their grants in this database, then the roles themselves.
        db.execute("DROP OWNED BY " + limitedRole + ", " + bypassRole,
                "DROP ROLE " + limitedRole, "DROP ROLE " + bypassRole);
    }

    @Test
    void should_fail_naming_the_table_when_row_security_would_filter_rows() {
        Map<String, String> settings = settings();
        settings.put("dump.db.user", limitedRole);

        Throwable failure = failedDump(settings);

        assertThat(failure).isInstanceOf(DumpFailedException.class);
        assertThat(failure.getMessage()).contains("tenant_rows").contains("row-level security").doesNotContain("\n");
        assertNothingLeftBehind();
    }

    @Test
    void should_export_every_row_as_a_role_that_bypasses_row_security() {
        Map<String, String> settings = settings();
        settings.put("dump.db.user", bypassRole);

        Dump dump = dump(settings);

        assertThat(dump.table("tenant_rows")).hasSize(3);
    }
}
