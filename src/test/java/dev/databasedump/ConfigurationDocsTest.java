package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.http.HttpSettings;
import dev.databasedump.rounds.TenantRoundSettings;
import dev.databasedump.schedule.ScheduleSettings;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.settings.PropertyLookup;
import dev.databasedump.support.AdminApi;
import dev.databasedump.support.DocumentedSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md cannot drift: its table lists exactly the {@code dump.} keys the code reads, each with the
 * default the code applies when the key is unset, which is also application.properties' value.
 */
class ConfigurationDocsTest {

    /** Set by the launcher and the command line for themselves, never by a user. */
    private static final Set<String> INTERNAL = Set.of("dump.command", "dump.command.key", "dump.command.endpoint");
    /** Read before the settings exist (logging starts first), from DUMP_LOG_FORMAT or -Ddump.log.format. */
    private static final Set<String> READ_BY_THE_LAUNCHER = Set.of("dump.log.format");

    /** Key -> the default its row gives, as written in the page's table. */
    static Map<String, String> documented() throws IOException {
        Map<String, String> rows = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\| `(dump\\.[a-z0-9.-]+)` \\| ([^|]*) \\|").matcher(
                Files.readString(Path.of("docs/configuration.md")));
        while (row.find()) {
            rows.put(row.group(1), row.group(2).trim());
        }
        return rows;
    }

    // `24h` -> 24h; *(empty: …)* -> "", as a blank value in application.properties.
    private static String plain(String cell) {
        if (cell.startsWith("*(empty")) {
            return "";
        }
        return cell.replaceAll("^`|`$", "");
    }

    @Test
    void should_list_every_key_the_code_reads_and_no_other() throws Exception {
        Set<String> read = new TreeSet<>();
        Map<String, String> file = DocumentedSettings.load();
        Map<String, String> everyTrigger = new HashMap<>(file);
        everyTrigger.putAll(Map.of("dump.http.enabled", "true", "dump.timer.enabled", "true", "dump.run-once", "true",
                "dump.tenant.column", "tenant_id", "dump.tenant.schedule.enabled", "true",
                "dump.auth.jwt-secret", AdminApi.JWT_SECRET, "dump.restore.http-enabled", "true",
                "dump.restore.db.url", "jdbc:postgresql://127.0.0.1:5432/restored", "dump.metrics.enabled", "true"));
        PropertyLookup recording = key -> {
            read.add(key);
            return Optional.ofNullable(everyTrigger.get(key)).map(String::trim).filter(value -> !value.isEmpty()
                    && !value.startsWith("{{"));
        };
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            new DumpConfiguration().configure(context, recording);
        }
        // And those application.properties hands to Camel's own settings ({{dump.metrics.port}}).
        file.values().forEach(value -> {
            Matcher placeholder = Pattern.compile("\\{\\{(dump\\.[a-z0-9.-]+)}}").matcher(value);
            while (placeholder.find()) {
                read.add(placeholder.group(1));
            }
        });
        read.removeIf(key -> !key.startsWith("dump."));
        read.addAll(READ_BY_THE_LAUNCHER);

        read.removeAll(INTERNAL);
        assertThat(documented().keySet()).as("documented keys against the keys read").isEqualTo(read);
    }

    @Test
    void should_give_each_keys_default_as_application_properties_sets_it() throws IOException {
        Map<String, String> file = DocumentedSettings.load();
        Map<String, String> documented = documented();
        Map<String, String> differ = new TreeMap<>();
        file.forEach((key, value) -> {
            if (!key.startsWith("dump.")) {
                return;
            }
            String expected = value.trim().startsWith("{{") ? value.trim().replaceAll("[{}]", "") : value.trim();
            if (!documented.containsKey(key) || !plain(documented.get(key)).equals(expected)) {
                differ.put(key, "docs: " + documented.get(key) + ", application.properties: " + value);
            }
        });
        documented.forEach((key, cell) -> {
            if (!file.containsKey(key) && !plain(cell).isEmpty()) {
                differ.put(key, "docs: " + cell + ", not in application.properties");
            }
        });
        assertThat(differ).isEmpty();
    }

    @Test
    void should_apply_in_code_the_defaults_application_properties_writes_down() throws IOException {
        Map<String, String> file = DocumentedSettings.load();
        Map<String, String> required = Map.of("dump.auth.jwt-secret", AdminApi.JWT_SECRET);
        PropertyLookup fromFile = key -> Optional.ofNullable(required.getOrDefault(key, file.get(key)))
                .map(String::trim).filter(value -> !value.isEmpty() && !value.startsWith("{{"));
        PropertyLookup unset = key -> Optional.ofNullable(required.get(key));

        assertThat(DumpSettings.load(unset)).isEqualTo(DumpSettings.load(fromFile));
        assertThat(HttpSettings.load(unset)).isEqualTo(HttpSettings.load(fromFile));
        assertThat(ScheduleSettings.load(unset)).isEqualTo(ScheduleSettings.load(fromFile));
        DumpSettings settings = DumpSettings.load(unset);
        assertThat(TenantRoundSettings.load(unset, settings.tenants()))
                .isEqualTo(TenantRoundSettings.load(fromFile, settings.tenants()));
    }
}
