package dev.databasedump;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.database.PostgresDataSources;
import dev.databasedump.http.AdminAuthorizer;
import dev.databasedump.http.ApiViews;
import dev.databasedump.http.ConsoleFiles;
import dev.databasedump.http.HealthApi;
import dev.databasedump.http.HttpApi;
import dev.databasedump.http.HttpSettings;
import dev.databasedump.http.ResponseHeaders;
import dev.databasedump.http.StoredDumps;
import dev.databasedump.http.TokenVerifier;
import dev.databasedump.jobs.ClusterLock;
import dev.databasedump.jobs.DumpJobs;
import dev.databasedump.jobs.RoundDumps;
import dev.databasedump.notify.WebhookNotifier;
import dev.databasedump.rounds.TenantRoundSettings;
import dev.databasedump.rounds.TenantRounds;
import dev.databasedump.schedule.DumpSchedule;
import dev.databasedump.schedule.ScheduleSettings;
import dev.databasedump.scope.TenantDirectory;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.settings.PropertyLookup;
import dev.databasedump.settings.SettingValues;
import dev.databasedump.storage.DumpStore;
import dev.databasedump.storage.RetentionPolicy;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.MicrometerUtils;
import org.apache.camel.support.PluginHelper;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adds the database-dump route from the {@code dump.} keys of the context's properties, and what the triggers they
 * enable need: the admin HTTP API ({@code dump.http.enabled}), the schedule ({@code dump.timer.enabled}) and run-once
 * ({@code dump.run-once}) share one {@link DumpJobs}, so a dump of a database never runs twice at once. For the standalone application, and for any Camel Main host
 * that lists this class in {@code camel.main.configuration-classes}. {@code dump.db.data-source} and
 * {@code dump.s3.client} name a host's own beans to use instead of a connection and a client built from the other keys.
 */
public class DumpConfiguration implements CamelConfiguration {

    static final String HTTP_ROUTES = "classpath:database-dump/routes/http-api.camel.yaml";
    static final String SCHEDULE_ROUTES = "classpath:database-dump/routes/schedule.camel.yaml";
    static final String CONSOLE_ROUTES = "classpath:database-dump/routes/console.camel.yaml";
    static final String ROUND_ROUTES = "classpath:database-dump/routes/tenant-rounds.camel.yaml";
    /** {@code DUMP_TENANT=all} with run-once: one round of every tenant's own dump. */
    static final String ALL_TENANTS = "all";

    @Override
    public void configure(CamelContext context) throws Exception {
        configure(context, key -> context.getPropertiesComponent().resolveProperty(key));
    }

    /** As {@link #configure(CamelContext)}, every setting read through {@code properties}. */
    void configure(CamelContext context, PropertyLookup properties) throws Exception {
        SettingValues values = new SettingValues(properties);
        DumpSettings settings = DumpSettings.load(properties);
        boolean http = values.bool("dump.http.enabled", false);
        boolean timer = values.bool("dump.timer.enabled", false);
        boolean runOnce = values.bool("dump.run-once", false);
        TenantRoundSettings roundSettings = TenantRoundSettings.load(properties, settings.tenants());
        boolean roundOnce = runOnce && ALL_TENANTS.equals(values.optional("dump.tenant").orElse(""));
        boolean rounds = roundSettings.scheduled() || roundOnce;
        if (roundOnce) {
            settings.tenants().requireEnabled();
        }
        List<String> triggers = new ArrayList<>();
        if (http) {
            triggers.add("http");
        }
        if (timer) {
            triggers.add("schedule");
        }
        if (runOnce) {
            triggers.add("run-once");
        }
        if (rounds) {
            triggers.add(RoundDumps.TRIGGER);
        }
        DumpResources resources = DumpResources.of(context, settings,
                values.optional("dump.db.data-source").<Function<CamelContext, DataSource>>map(
                        name -> host -> DatabaseDump.lookup(host, name, DataSource.class)).orElse(null),
                values.optional("dump.s3.client").<Function<CamelContext, S3Client>>map(
                        name -> host -> DatabaseDump.lookup(host, name, S3Client.class)).orElse(null),
                null, values.bool("dump.metrics.enabled", false) ? DumpConfiguration::prometheusRegistry : null,
                triggers);
        DatabaseDump.builder().settings(settings).addTo(context, resources);

        if (!http && !timer && !runOnce && !rounds) {
            return;
        }
        // Validate the triggers' settings before anything starts.
        Optional<HttpSettings> httpSettings = http ? Optional.of(HttpSettings.load(properties)) : Optional.empty();
        Optional<ScheduleSettings> schedule = timer ? Optional.of(ScheduleSettings.load(properties)) : Optional.empty();
        if (http && settings.restore().httpEnabled()) {
            settings.restore().requireTarget();
        }
        ObjectMapper json = new ObjectMapper();
        ClusterLock clusterLock = new ClusterLock(resources::source);
        Memo<DumpStore> store = new Memo<>(() -> DumpStore.of(resources.s3(), settings, Clock.systemUTC()));
        // Every trigger goes through one gate: one dump of this database at a time, here and on every replica.
        DumpJobs jobs = ClosingService.closeOnStop(context,
                new DumpJobs(context, "direct:database-dump", clusterLock, resources::metrics, json, settings.tenants(),
                        values.optional("dump.tenant").orElse(null)));
        context.getRegistry().bind("dumpJobs", jobs);

        // Bound whatever the settings: the run-once route names it, whether or not DUMP_TENANT=all.
        TenantRounds rounder = ClosingService.closeOnStop(context, new TenantRounds(roundSettings, settings,
                jobs.rounds(), resources::source, store, new Memo<>(() -> new RetentionPolicy(resources.s3(),
                settings.storage().bucket(), settings.storage().prefix(), settings.retention(), Clock.systemUTC())),
                ClosingService.closeOnStop(context, new WebhookNotifier(settings.notification(),
                        settings.environment(), Clock.systemUTC())), resources::metrics, clusterLock,
                Clock.systemUTC()));
        context.getRegistry().bind("tenantRounds", rounder);
        Optional<TenantRounds> tenantRounds = roundSettings.scheduled() ? Optional.of(rounder) : Optional.empty();
        Optional<DumpSchedule> timed = schedule.map(timing -> new DumpSchedule(timing, jobs,
                since -> store.get().holdsDumpSince(since), Clock.systemUTC()));
        if (httpSettings.isPresent()) {
            HttpSettings api = httpSettings.get();
            StoredDumps dumps = ClosingService.closeOnStop(context, new StoredDumps(store, resources::s3,
                    settings.storage(), api.downloadExpiry(), Clock.systemUTC()));
            ApiViews views = new ApiViews(jobs, dumps, timed.map(next -> next::nextRun),
                    timed.map(DumpSchedule::period), settings.retention(), settings.tenants().enabled(),
                    settings.restore().httpEnabled(), settings.restore().database()
                            .map(PostgresDataSources::databaseName).orElse(null),
                    () -> clusterLock.heldAnywhere(ClusterLock.DUMP, 0),
                    tenantRounds.<Supplier<String>>map(each -> each::current), Clock.systemUTC());
            context.getRegistry().bind("dumpHttpApi", new HttpApi(api, new TokenVerifier(api),
                    new AdminAuthorizer(api, resources::source, settings.tenants().enabled()), jobs, dumps,
                    settings.restore().httpEnabled(), settings.restore().tenants(),
                    settings.tenants().enabled() ? new TenantDirectory(resources::source, settings) : null, views,
                    json));
            context.getRegistry().bind("dumpHealthApi", new HealthApi());
            context.getRegistry().bind("dumpResponseHeaders", new ResponseHeaders());
            loadRoutes(context, HTTP_ROUTES);
            if (values.bool("dump.console.enabled", true)) {
                context.getRegistry().bind("dumpConsole", new ConsoleFiles(api.corsOrigins()));
                loadRoutes(context, CONSOLE_ROUTES);
            }
        }
        if (timed.isPresent()) {
            context.getRegistry().bind("dumpSchedule", timed.get());
            loadRoutes(context, SCHEDULE_ROUTES);
        }
        if (roundSettings.scheduled()) {
            loadRoutes(context, ROUND_ROUTES);
        }
    }

    /**
     * The registry camel-micrometer-prometheus serves at /metrics (camel.metrics.*), whichever of it and us comes
     * first: it takes the one bound as metricsRegistry, or binds its own there.
     */
    private static MeterRegistry prometheusRegistry(CamelContext context) {
        MeterRegistry registry = MicrometerUtils.getMeterRegistryFromCamelRegistry(context.getRegistry(),
                MicrometerConstants.METRICS_REGISTRY_NAME);
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        }
        return registry;
    }

    private static void loadRoutes(CamelContext context, String resource) throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(PluginHelper.getResourceLoader(context).resolveResource(resource));
    }
}
