package dev.databasedump.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The keys and values application.properties documents, as the defaults tests compare with. */
public final class DocumentedSettings {

    private DocumentedSettings() {
    }

    public static Map<String, String> load() throws IOException {
        Properties file = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("application.properties"))) {
            file.load(reader);
        }
        Map<String, String> documented = new HashMap<>();
        file.stringPropertyNames().forEach(key -> documented.put(key, file.getProperty(key)));
        return documented;
    }
}
