package dev.databasedump;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.metrics.DumpMetrics;
import dev.databasedump.metrics.LastDumpInBucket;
import dev.databasedump.notify.WebhookNotifier;
import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.restore.RestorePipeline;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.storage.DumpStore;
import dev.databasedump.storage.RetentionPolicy;
import dev.databasedump.verify.VerifyPipeline;

import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.PluginHelper;

/**
 * Makes the routes of one {@link DatabaseDump} from their templates, with beans local to them: nothing goes into the
 * host's registry. Camel calls a local bean's supplier on every lookup, so every bean is memoised: each set of routes
 * has one of each, shared where the routes share (the dump verifies with the verify route's pipeline).
 */
final class DumpRoutes {

    private final CamelContext context;
    private final DumpSettings settings;
    private final Clock clock;
    private final DumpResources resources;
    private final Memo<DumpStore> store;
    private final Memo<VerifyPipeline> verifier;
    private final ObjectMapper json = new ObjectMapper();

    DumpRoutes(CamelContext context, DumpSettings settings, Clock clock, DumpResources resources) {
        this.context = context;
        this.settings = settings;
        this.clock = clock;
        this.resources = resources;
        this.store = new Memo<>(() -> DumpStore.of(resources.s3(), settings, clock));
        this.verifier = new Memo<>(() -> {
            VerifyPipeline steps = new VerifyPipeline(store.get(), settings.secrets(),
                    settings.encryption().identityFile(), settings.tmpDir(), json);
            onStop(steps::abortRunning);
            return steps;
        });
    }

    /** @param tenant the tenant the route dumps when a message names none; empty for full dumps */
    String addDump(String routeId, String entry, String tenant) throws Exception {
        loadTemplate(DatabaseDump.TEMPLATE_ID, DatabaseDump.TEMPLATE_RESOURCE);
        Memo<RetentionPolicy> retention = new Memo<>(() -> new RetentionPolicy(resources.s3(), settings.storage().bucket(),
                settings.storage().prefix(), settings.retention(), clock));
        Memo<WebhookNotifier> notifier = new Memo<>(() -> ClosingService.closeOnStop(context,
                new WebhookNotifier(settings.notification(), settings.environment(), clock)));
        Memo<DumpPipeline> pipeline = new Memo<>(() -> {
            DumpPipeline steps = new DumpPipeline(settings, resources.source(), store.get(), verifier.get(),
                    resources.metrics(), clock, json);
            onStop(steps::abortRunning);
            return steps;
        });
        // The threads the split reads pieces on, one per connection of the snapshot.
        Memo<ExecutorService> readers = new Memo<>(() -> {
            ExecutorService pool = DaemonThreads.pool("database-dump-reader", settings.reads().parallelism());
            ClosingService.closeOnStop(context, pool::shutdownNow);
            return pool;
        });
        onStarted(() -> {
            // The meters exist from start, the last success read from the bucket, before any dump runs.
            if (resources.metrics() instanceof DumpMetrics metrics) {
                LastDumpInBucket.readInBackground(store, metrics);
            }
        });
        return TemplatedRouteBuilder.builder(context, DatabaseDump.TEMPLATE_ID)
                .routeId(routeId)
                .parameter("entry", entry)
                .parameter("tenant", tenant)
                .bean("retention", RetentionPolicy.class, retention::get)
                .bean("notifier", WebhookNotifier.class, notifier::get)
                .bean("pipeline", DumpPipeline.class, pipeline::get)
                .bean("readers", ExecutorService.class, readers::get)
                .add();
    }

    String addVerify(String entry, String routeId) throws Exception {
        loadTemplate(DatabaseDump.VERIFY_TEMPLATE_ID, DatabaseDump.VERIFY_TEMPLATE_RESOURCE);
        return TemplatedRouteBuilder.builder(context, DatabaseDump.VERIFY_TEMPLATE_ID)
                .routeId(routeId)
                .parameter("entry", entry)
                .bean("verifier", VerifyPipeline.class, verifier::get)
                .add();
    }

    String addRestore(String entry, String routeId, Supplier<DataSource> target) throws Exception {
        loadTemplate(DatabaseDump.RESTORE_TEMPLATE_ID, DatabaseDump.RESTORE_TEMPLATE_RESOURCE);
        Memo<RestorePipeline> restorer = new Memo<>(() -> {
            RestorePipeline steps = new RestorePipeline(store.get(), settings.restore(), settings.tenants(), target,
                    settings.encryption().identityFile(), settings.secrets(), resources.metrics(), json);
            onStop(steps::abortRunning);
            return steps;
        });
        return TemplatedRouteBuilder.builder(context, DatabaseDump.RESTORE_TEMPLATE_ID)
                .routeId(routeId)
                .parameter("entry", entry)
                .bean("restorer", RestorePipeline.class, restorer::get)
                .add();
    }

    // Camel's graceful shutdown would wait for a running run up to its timeout and then cut it off without clean-up.
    private void onStop(Runnable abortRunning) {
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                    abortRunning.run();
                }
            }
        });
    }

    // A host may add the routes to a context that already runs.
    private void onStarted(Runnable started) {
        if (context.getStatus().isStarted()) {
            started.run();
            return;
        }
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.CamelContextStartedEvent) {
                    started.run();
                }
            }
        });
    }

    private void loadTemplate(String id, String resource) throws Exception {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        if (model.getRouteTemplateDefinition(id) == null) {
            PluginHelper.getRoutesLoader(context).loadRoutes(
                    PluginHelper.getResourceLoader(context).resolveResource(resource));
        }
    }
}
