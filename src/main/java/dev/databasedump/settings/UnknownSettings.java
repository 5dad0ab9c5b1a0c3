package dev.databasedump.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings given to the standalone application that it does not know: a misspelt key, or one that a newer version
 * dropped ({@code dump.page-size} went with the cursor), would otherwise be ignored without a word. Names only, never
 * values: a misspelt secret key is still a secret.
 */
public final class UnknownSettings {

    private UnknownSettings() {
    }

    /**
     * The {@code DUMP_…} environment variables and {@code dump.…} system properties that name none of {@code known}.
     */
    public static List<String> find(Set<String> known, Map<String, String> environment, Properties system) {
        Set<String> variables = known.stream().map(UnknownSettings::variable).collect(Collectors.toSet());
        List<String> unknown = new ArrayList<>();
        environment.keySet().stream().filter(name -> name.startsWith("DUMP_") && !variables.contains(name)).sorted()
                .forEach(unknown::add);
        system.stringPropertyNames().stream().filter(name -> name.startsWith("dump.") && !known.contains(name))
                .sorted().forEach(unknown::add);
        return unknown;
    }

    /** Every key of a settings file on the class path. */
    public static Set<String> keysOf(String resource) {
        Properties properties = new Properties();
        try (InputStream in = UnknownSettings.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.stringPropertyNames();
    }

    // The environment variable Camel reads a key from: upper case, '.' and '-' as '_'.
    static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
