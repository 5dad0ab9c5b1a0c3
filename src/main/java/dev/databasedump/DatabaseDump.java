package dev.databasedump;

import dev.databasedump.metrics.RunMetrics;
import dev.databasedump.settings.DumpSettings;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javax.sql.DataSource;

import org.apache.camel.CamelContext;
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
    /** Id of the route template every verify route is made from, and where it lives. */
    public static final String VERIFY_TEMPLATE_ID = "database-verify";
    public static final String VERIFY_TEMPLATE_RESOURCE = "classpath:database-dump/routes/database-verify.camel.yaml";
    /** Id of the route template every restore route is made from, and where it lives. */
    public static final String RESTORE_TEMPLATE_ID = "database-restore";
    public static final String RESTORE_TEMPLATE_RESOURCE = "classpath:database-dump/routes/database-restore.camel.yaml";

    private DatabaseDump() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What one dump route needs; every option has the default the standalone application uses. */
    public static final class Builder {
        private String routeId = "database-dump";
        private String entry = "direct:database-dump";
        private String verifyEntry;
        private String restoreEntry;
        private String tenant = "";
        private Function<CamelContext, DataSource> restoreDataSource;
        private DumpSettings settings;
        private Function<CamelContext, DataSource> dataSource;
        private Function<CamelContext, S3Client> s3Client;
        private Function<CamelContext, MeterRegistry> meterRegistry;
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

        /**
         * Endpoint that starts a verification of a stored dump. Default {@code direct:database-verify}, or
         * {@code direct:<routeId>-verify} for a dump route given its own id.
         */
        public Builder verifyEntry(String entryUri) {
            this.verifyEntry = Objects.requireNonNull(entryUri, "entryUri");
            return this;
        }

        /**
         * The tenant this route dumps when a message names none (the {@code DatabaseDumpTenant} header names one for a
         * single message): a route that only ever exports that tenant's data. Needs {@code dump.tenant.column}.
         * Default: none, full dumps.
         */
        public Builder tenant(String tenant) {
            this.tenant = Objects.requireNonNull(tenant, "tenant");
            return this;
        }

        /** The {@code dump.} keys, named and defaulted as in application.properties and docs/configuration.md. */
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

        /**
         * The database restores go into: with it (or {@code dump.restore.db.url}) a restore route is added beside the
         * dump's. Never the database dumps are taken from, unless the host says so here.
         */
        public Builder restoreDataSource(DataSource target) {
            Objects.requireNonNull(target, "target");
            this.restoreDataSource = context -> target;
            return this;
        }

        /** A restore target from the host's registry, looked up when the route is created. */
        public Builder restoreDataSource(String beanName) {
            this.restoreDataSource = context -> lookup(context, beanName, DataSource.class);
            return this;
        }

        /**
         * Endpoint that starts a restore. Default {@code direct:database-restore}, or
         * {@code direct:<routeId>-restore} for a dump route given its own id.
         */
        public Builder restoreEntry(String entryUri) {
            this.restoreEntry = Objects.requireNonNull(entryUri, "entryUri");
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

        /**
         * A Micrometer registry (Prometheus, say) for the dump's meters: {@code database_dump_runs_total},
         * {@code database_dump_last_success_timestamp_seconds} and the rest, as docs/operations.md lists them. Without one,
         * nothing is measured.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            Objects.requireNonNull(registry, "registry");
            this.meterRegistry = context -> registry;
            return this;
        }

        /** A MeterRegistry from the host's registry, looked up when the route is created. */
        public Builder meterRegistry(String beanName) {
            this.meterRegistry = context -> lookup(context, beanName, MeterRegistry.class);
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Adds the dump route, the verify route beside it and, with a restore target, the restore route (started with
         * the context); returns the dump route's id. Settings are validated here.
         */
        public String addTo(CamelContext context) throws Exception {
            DumpSettings dump = settings != null ? settings : DumpSettings.load(key -> Optional.empty());
            return addTo(context, DumpResources.of(context, dump, dataSource, s3Client, restoreDataSource,
                    meterRegistry, List.of(RunMetrics.EMBEDDED)));
        }

        /** Adds the routes with resources already resolved (the application shares them with its triggers). */
        String addTo(CamelContext context, DumpResources resources) throws Exception {
            DumpSettings dump = settings != null ? settings : DumpSettings.load(key -> Optional.empty());
            DumpRoutes routes = new DumpRoutes(context, dump, clock, resources);
            routes.addVerify(verifyEntry != null ? verifyEntry : derived("verify"), derivedId("verify"));
            if (resources.restoreTarget().isPresent()) {
                routes.addRestore(restoreEntry != null ? restoreEntry : derived("restore"), derivedId("restore"),
                        resources.restoreTarget().get());
            }
            return routes.addDump(routeId, entry, tenant);
        }

        // The default dump route's siblings are direct:database-verify and direct:database-restore; another dump
        // route's are named after it, so several dump routes fit in one context.
        private String derived(String what) {
            return routeId.equals(TEMPLATE_ID) ? "direct:database-" + what : "direct:" + routeId + "-" + what;
        }

        private String derivedId(String what) {
            return routeId.equals(TEMPLATE_ID) ? "database-" + what : routeId + "-" + what;
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
