package dev.databasedump.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which of the settings given to the application it does not know. */
class UnknownSettingsTest {

    private static final Set<String> KNOWN = Set.of("dump.s3.secret-key", "dump.run-once", "dump.piece-rows");

    @Test
    void should_name_dump_variables_and_properties_that_match_no_setting() {
        Properties system = new Properties();
        system.setProperty("dump.peice-rows", "1000");
        system.setProperty("dump.run-once", "true");
        system.setProperty("java.version", "17");

        assertThat(UnknownSettings.find(KNOWN, Map.of("DUMP_PAGE_SIZE", "5000", "DUMP_S3_SECRET_KEY", "s",
                "DUMP_RUN_ONCE", "true", "PATH", "/usr/bin"), system))
                .containsExactly("DUMP_PAGE_SIZE", "dump.peice-rows");
    }

    @Test
    void should_know_every_key_of_the_packaged_settings_by_its_variable_name() {
        Set<String> packaged = UnknownSettings.keysOf("database-dump/application.properties");

        assertThat(packaged).contains("dump.s3.secret-key", "dump.cleanup.stale-after", "dump.log.format");
        assertThat(UnknownSettings.find(packaged, Map.of("DUMP_S3_SECRET_KEY", "s", "DUMP_CLEANUP_STALE_AFTER", "1h",
                "DUMP_RESTORE_DB_URL", "jdbc:postgresql://x/y"), new Properties())).isEmpty();
    }
}
