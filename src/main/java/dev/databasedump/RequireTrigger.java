package dev.databasedump;

import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.settings.PropertyLookup;
import dev.databasedump.settings.RestoreSettings;
import dev.databasedump.settings.SettingValues;

import java.util.Optional;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * The standalone application with no trigger would start and wait forever: refuse that at start instead. A command
 * is its own trigger; a restore needs its target.
 */
public class RequireTrigger implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        PropertyLookup properties = key -> context.getPropertiesComponent().resolveProperty(key);
        SettingValues values = new SettingValues(properties);
        Optional<String> command = values.optional("dump.command");
        if (command.isPresent()) {
            if (command.get().equals("restore")) {
                RestoreSettings.load(properties).requireTarget();
            }
            return;
        }
        if (!values.bool("dump.run-once", false) && !values.bool("dump.http.enabled", false)
                && !values.bool("dump.timer.enabled", false) && !values.bool("dump.tenant.schedule.enabled", false)) {
            throw new InvalidSettingException("dump.run-once", "nothing would ever start a dump: set"
                    + " dump.run-once=true, dump.http.enabled=true, dump.timer.enabled=true or"
                    + " dump.tenant.schedule.enabled=true");
        }
    }
}
