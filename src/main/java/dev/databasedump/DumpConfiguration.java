package dev.databasedump;

import dev.databasedump.settings.DumpSettings;
import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.settings.PropertyLookup;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Adds the database-dump route from the {@code dump.} keys of the context's properties: for the standalone
 * application, and for any Camel Main host that lists this class in {@code camel.main.configuration-classes}.
 * {@code dump.db.data-source} and {@code dump.s3.client} name a host's own beans to use instead of a connection and
 * a client built from the other keys.
 */
public class DumpConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertyLookup properties = key -> context.getPropertiesComponent().resolveProperty(key);
        refuseUnbuiltTriggers(properties);
        DatabaseDump.Builder dump = DatabaseDump.builder().settings(DumpSettings.load(properties));
        properties.find("dump.db.data-source").map(String::trim).filter(s -> !s.isEmpty()).ifPresent(dump::dataSource);
        properties.find("dump.s3.client").map(String::trim).filter(s -> !s.isEmpty()).ifPresent(dump::s3Client);
        dump.addTo(context);
    }

    // The HTTP and timer triggers are not part of this version: say so rather than silently ignoring the key.
    private static void refuseUnbuiltTriggers(PropertyLookup properties) {
        for (String key : new String[] {"dump.http.enabled", "dump.timer.enabled"}) {
            if (properties.find(key).map(String::trim).map(Boolean::parseBoolean).orElse(false)) {
                throw new InvalidSettingException(key, "this trigger is not available in this version yet");
            }
        }
    }
}
