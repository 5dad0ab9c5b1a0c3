package dev.databasedump;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.database.PostgresDataSources;
import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.notify.WebhookNotifier;
import dev.databasedump.storage.DumpStore;
import dev.databasedump.storage.RetentionPolicy;
import dev.databasedump.storage.S3ClientFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.PluginHelper;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Adds the database-dump route to any CamelContext, from the route template in {@code routes/database-dump.camel.yaml}.
 * The route's beans (the pipeline, the S3 client) are local to it: nothing is put in the host's registry, no
 * component is created or configured (the dump talks to the store through its own S3 client, never through a host's
 * aws2-s3 component), and the host's own beans are used only when it names them.
 *
 * <pre>{@code
 * DatabaseDump.builder()
 *     .settings(Map.of("dump.s3.bucket", "backups", "dump.schemas", "public"))
 *     .dataSource(myDataSource)        // optional: else dump.db.url / user / password
 *     .s3Client(myS3Client)            // optional: else dump.s3.endpoint / region / keys
 *     .addTo(camelContext);            // then: to("direct:database-dump")
 * }</pre>
 */
public final class DatabaseDump {

    /** Id of the route template every dump route is made from. */
    public static final String TEMPLATE_ID = "database-dump";
    /** Where the template lives, in this jar. */
    public static final String TEMPLATE_RESOURCE = "classpath:database-dump/routes/database-dump.camel.yaml";

    private DatabaseDump() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What one dump route needs; every option has the default the standalone application uses. */
    public static final class Builder {
        private String routeId = "database-dump";
        private String entry = "direct:database-dump";
        private DumpSettings settings;
        private Function<CamelContext, DataSource> dataSource;
        private Function<CamelContext, S3Client> s3Client;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Id of the route; give each dump route in one context its own. Default {@code database-dump}. */
        public Builder routeId(String routeId) {
            this.routeId = Objects.requireNonNull(routeId, "routeId");
            return this;
        }

        /** Endpoint that starts a dump. Default {@code direct:database-dump}. */
        public Builder entry(String entryUri) {
            this.entry = Objects.requireNonNull(entryUri, "entryUri");
            return this;
        }

        /** The {@code dump.} keys, named and defaulted as in application.properties and the README. */
        public Builder settings(Map<String, String> dumpProperties) {
            Map<String, String> copy = Map.copyOf(dumpProperties);
            return settings(DumpSettings.load(key -> Optional.ofNullable(copy.get(key))));
        }

        public Builder settings(DumpSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * The host's own DataSource; the dump takes up to {@code dump.parallelism} connections from it and gives them
         * back as they came.
         */
        public Builder dataSource(DataSource dataSource) {
            Objects.requireNonNull(dataSource, "dataSource");
            this.dataSource = context -> dataSource;
            return this;
        }

        /** A DataSource from the host's registry, looked up when the route is created. */
        public Builder dataSource(String beanName) {
            this.dataSource = context -> lookup(context, beanName, DataSource.class);
            return this;
        }

        /** The host's own S3 client; it stays the host's to close. */
        public Builder s3Client(S3Client s3Client) {
            Objects.requireNonNull(s3Client, "s3Client");
            this.s3Client = context -> s3Client;
            return this;
        }

        /** An S3 client from the host's registry, looked up when the route is created. */
        public Builder s3Client(String beanName) {
            this.s3Client = context -> lookup(context, beanName, S3Client.class);
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Adds the route (started with the context); returns its id. Settings are validated here. */
        public String addTo(CamelContext context) throws Exception {
            DumpSettings dump = settings != null ? settings : DumpSettings.load(key -> Optional.empty());
            loadTemplate(context);
            // Looked up or built when the route is created, so a host may bind its beans after calling this.
            Memo<S3Client> s3 = new Memo<>(() -> s3Client != null ? s3Client.apply(context)
                    : ClosingService.closeOnStop(context, S3ClientFactory.create(dump.storage())));
            String bucket = dump.storage().bucket();
            // Camel calls a local bean's supplier on every lookup: memoised, each route has one of each.
            Memo<RetentionPolicy> retention = new Memo<>(() -> new RetentionPolicy(s3.get(), bucket,
                    dump.storage().prefix(), dump.retention(), clock));
            Memo<WebhookNotifier> notifier = new Memo<>(() -> ClosingService.closeOnStop(context,
                    new WebhookNotifier(dump.notification(), dump.environment(), clock)));
            Memo<DumpPipeline> pipeline = new Memo<>(() -> abortOnStop(context, new DumpPipeline(dump,
                    dataSource != null ? dataSource.apply(context) : PostgresDataSources.create(dump.database()),
                    new DumpStore(s3.get(), dump.storage(), dump.compression(), clock), clock, new ObjectMapper())));
            // The threads the split reads pieces on, one per connection of the snapshot.
            Memo<ExecutorService> readers = new Memo<>(() -> {
                ExecutorService pool = DaemonThreads.pool("database-dump-reader", dump.reads().parallelism());
                ClosingService.closeOnStop(context, pool::shutdownNow);
                return pool;
            });
            return TemplatedRouteBuilder.builder(context, TEMPLATE_ID)
                    .routeId(routeId)
                    .parameter("entry", entry)
                    .bean("retention", RetentionPolicy.class, retention::get)
                    .bean("notifier", WebhookNotifier.class, notifier::get)
                    .bean("pipeline", DumpPipeline.class, pipeline::get)
                    .bean("readers", ExecutorService.class, readers::get)
                    .add();
        }

    }

    // Camel's graceful shutdown would wait for a running dump up to its timeout and then cut it off without clean-up.
    private static DumpPipeline abortOnStop(CamelContext context, DumpPipeline pipeline) {
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    pipeline.abortRunning();
                }
            }
        });
        return pipeline;
    }

    private static void loadTemplate(CamelContext context) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model.getRouteTemplateDefinition(TEMPLATE_ID) == null) {
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    PluginHelper.getResourceLoader(context).resolveResource(TEMPLATE_RESOURCE));
        }
    }

    static <T> T lookup(CamelContext context, String beanName, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(beanName, type);
        if (bean == null) {
            throw new IllegalArgumentException("no " + type.getSimpleName() + " bean named '" + beanName + "'");
        }
        return bean;
    }
}
