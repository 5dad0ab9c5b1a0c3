package dev.databasedump;

import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.settings.SettingValues;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The standalone application with no trigger would start and wait forever: refuse that at start instead. */
public class RequireTrigger implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        SettingValues values = new SettingValues(key -> context.getPropertiesComponent().resolveProperty(key));
        if (!values.bool("dump.run-once", false) && !values.bool("dump.http.enabled", false)
                && !values.bool("dump.timer.enabled", false)) {
            throw new InvalidSettingException("dump.run-once", "nothing would ever start a dump: set"
                    + " dump.run-once=true, dump.http.enabled=true or dump.timer.enabled=true");
        }
    }
}
