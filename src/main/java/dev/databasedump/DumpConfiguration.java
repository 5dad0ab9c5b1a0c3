package dev.databasedump;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.database.PostgresDataSources;
import dev.databasedump.http.AdminAuthorizer;
import dev.databasedump.http.DumpJobs;
import dev.databasedump.http.HealthApi;
import dev.databasedump.http.HttpApi;
import dev.databasedump.http.HttpSettings;
import dev.databasedump.http.StoredDumps;
import dev.databasedump.http.TokenVerifier;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.settings.PropertyLookup;
import dev.databasedump.settings.SettingValues;
import dev.databasedump.storage.S3ClientFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adds the database-dump route from the {@code dump.} keys of the context's properties, and with
 * {@code dump.http.enabled=true} the admin HTTP API: for the standalone application, and for any Camel Main host that
 * lists this class in {@code camel.main.configuration-classes}. {@code dump.db.data-source} and {@code dump.s3.client}
 * name a host's own beans to use instead of a connection and a client built from the other keys.
 */
public class DumpConfiguration implements CamelConfiguration {

    static final String HTTP_ROUTES = "classpath:database-dump/routes/http-api.camel.yaml";

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertyLookup properties = key -> context.getPropertiesComponent().resolveProperty(key);
        SettingValues values = new SettingValues(properties);
        refuseUnbuiltTriggers(values);
        DumpSettings settings = DumpSettings.load(properties);
        Optional<String> dataSourceBean = values.optional("dump.db.data-source");
        Optional<String> s3ClientBean = values.optional("dump.s3.client");

        DatabaseDump.Builder dump = DatabaseDump.builder().settings(settings);
        dataSourceBean.ifPresent(dump::dataSource);
        s3ClientBean.ifPresent(dump::s3Client);
        dump.addTo(context);

        if (values.bool("dump.http.enabled", false)) {
            Supplier<DataSource> dataSource = dataSourceBean
                    .<Supplier<DataSource>>map(name -> () -> DatabaseDump.lookup(context, name, DataSource.class))
                    .orElseGet(() -> new Memo<>(() -> PostgresDataSources.create(settings.database())));
            Supplier<S3Client> s3 = s3ClientBean
                    .<Supplier<S3Client>>map(name -> () -> DatabaseDump.lookup(context, name, S3Client.class))
                    .orElseGet(() -> new Memo<>(() -> ClosingService.closeOnStop(context,
                            S3ClientFactory.create(settings.storage()))));
            addHttpApi(context, settings, HttpSettings.load(properties), dataSource, s3);
        }
    }

    private static void addHttpApi(CamelContext context, DumpSettings settings, HttpSettings http,
            Supplier<DataSource> dataSource, Supplier<S3Client> s3) throws Exception {
        ObjectMapper json = new ObjectMapper();
        DumpJobs jobs = ClosingService.closeOnStop(context, new DumpJobs(context, "direct:database-dump", json));
        StoredDumps dumps = ClosingService.closeOnStop(context,
                new StoredDumps(settings.storage(), s3, http.downloadExpiry(), Clock.systemUTC()));
        context.getRegistry().bind("dumpHttpApi", new HttpApi(http, new TokenVerifier(http),
                new AdminAuthorizer(http, dataSource), jobs, dumps, json));
        context.getRegistry().bind("dumpHealthApi", new HealthApi());
        PluginHelper.getRoutesLoader(context).loadRoutes(
                PluginHelper.getResourceLoader(context).resolveResource(HTTP_ROUTES));
    }

    // The timer trigger is not part of this version: say so rather than silently ignoring the key.
    private static void refuseUnbuiltTriggers(SettingValues values) {
        if (values.bool("dump.timer.enabled", false)) {
            throw new InvalidSettingException("dump.timer.enabled", "this trigger is not available in this version yet");
        }
    }
}
