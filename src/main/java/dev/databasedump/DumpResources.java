package dev.databasedump;

import dev.databasedump.database.PostgresDataSources;
import dev.databasedump.metrics.DumpMetrics;
import dev.databasedump.metrics.RunMetrics;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.storage.S3ClientFactory;

import java.sql.SQLException;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The connections database-dump works with, resolved in one place and shared by every route and trigger (the dump,
 * verify and restore routes, the HTTP API, the cluster lock): the database dumps are taken from, the S3 client, and
 * the database restores go into; and the metrics they report to. Each is a host's own bean when the host names one, else built from the
 * {@code dump.} keys; built on first use (a host may bind its beans after configuring the dump), once. What is built
 * here is closed with the context; a host's own beans stay the host's to close.
 */
final class DumpResources {

    private static final Logger LOG = LoggerFactory.getLogger(DumpResources.class);

    private final Memo<DataSource> source;
    private final Memo<S3Client> s3;
    private final Optional<Memo<DataSource>> restoreTarget;
    private final Memo<RunMetrics> metrics;

    private DumpResources(Memo<DataSource> source, Memo<S3Client> s3, Optional<Memo<DataSource>> restoreTarget,
            Memo<RunMetrics> metrics) {
        this.source = source;
        this.s3 = s3;
        this.restoreTarget = restoreTarget;
        this.metrics = metrics;
    }

    /**
     * @param hostSource        the host's DataSource to dump, or null
     * @param hostS3            the host's S3 client, or null
     * @param hostRestoreTarget the host's DataSource to restore into, or null
     * @param meterRegistry     the registry metrics go to, or null for none
     * @param triggers          the triggers whose dumps are counted from start
     */
    static DumpResources of(CamelContext context, DumpSettings settings, Function<CamelContext, DataSource> hostSource,
            Function<CamelContext, S3Client> hostS3, Function<CamelContext, DataSource> hostRestoreTarget,
            Function<CamelContext, MeterRegistry> meterRegistry, Collection<String> triggers) {
        Memo<DataSource> source = new Memo<>(() -> hostSource != null ? hostSource.apply(context)
                : PostgresDataSources.create(settings.database()));
        Memo<S3Client> s3 = new Memo<>(() -> S3ClientFactory.timeLimited(hostS3 != null ? hostS3.apply(context)
                : ClosingService.closeOnStop(context, S3ClientFactory.create(settings.storage())),
                settings.storage().requestTimeout()));
        Optional<Supplier<DataSource>> target = hostRestoreTarget != null
                ? Optional.of(() -> hostRestoreTarget.apply(context))
                : settings.restore().dataSourceBean().<Supplier<DataSource>>map(
                        name -> () -> DatabaseDump.lookup(context, name, DataSource.class))
                .or(() -> settings.restore().database().map(db -> () -> PostgresDataSources.create(db)));
        Memo<RunMetrics> metrics = new Memo<>(() -> meterRegistry == null ? RunMetrics.NONE
                : new DumpMetrics(meterRegistry.apply(context),
                        hostSource == null ? PostgresDataSources.databaseName(settings.database())
                                : hostDatabaseName(source.get()), triggers));
        return new DumpResources(source, s3, target.map(Memo::new), metrics);
    }

    // Only a connection tells which database a host's DataSource reaches; one that fails now still gets its metrics.
    private static String hostDatabaseName(DataSource dataSource) {
        try {
            return PostgresDataSources.databaseName(dataSource);
        } catch (SQLException | RuntimeException e) {
            LOG.warn("Could not ask the DataSource its database's name for the metrics' database label: {}",
                    e.getMessage());
            return "unknown";
        }
    }

    DataSource source() {
        return source.get();
    }

    S3Client s3() {
        return s3.get();
    }

    /** Where runs are counted: a registry's meters, or nowhere. */
    RunMetrics metrics() {
        return metrics.get();
    }

    /** The database restores go into, when one is configured. */
    Optional<Supplier<DataSource>> restoreTarget() {
        return restoreTarget.map(memo -> memo);
    }
}
