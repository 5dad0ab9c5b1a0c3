package dev.databasedump;

import dev.databasedump.database.PostgresDataSources;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.storage.S3ClientFactory;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The connections database-dump works with, resolved in one place and shared by every route and trigger (the dump,
 * verify and restore routes, the HTTP API, the cluster lock): the database dumps are taken from, the S3 client, and
 * the database restores go into. Each is a host's own bean when the host names one, else built from the
 * {@code dump.} keys; built on first use (a host may bind its beans after configuring the dump), once. What is built
 * here is closed with the context; a host's own beans stay the host's to close.
 */
final class DumpResources {

    private final Memo<DataSource> source;
    private final Memo<S3Client> s3;
    private final Optional<Memo<DataSource>> restoreTarget;

    private DumpResources(Memo<DataSource> source, Memo<S3Client> s3, Optional<Memo<DataSource>> restoreTarget) {
        this.source = source;
        this.s3 = s3;
        this.restoreTarget = restoreTarget;
    }

    /**
     * @param hostSource        the host's DataSource to dump, or null
     * @param hostS3            the host's S3 client, or null
     * @param hostRestoreTarget the host's DataSource to restore into, or null
     */
    static DumpResources of(CamelContext context, DumpSettings settings, Function<CamelContext, DataSource> hostSource,
            Function<CamelContext, S3Client> hostS3, Function<CamelContext, DataSource> hostRestoreTarget) {
        Memo<DataSource> source = new Memo<>(() -> hostSource != null ? hostSource.apply(context)
                : PostgresDataSources.create(settings.database()));
        Memo<S3Client> s3 = new Memo<>(() -> hostS3 != null ? hostS3.apply(context)
                : ClosingService.closeOnStop(context, S3ClientFactory.create(settings.storage())));
        Optional<Supplier<DataSource>> target = hostRestoreTarget != null
                ? Optional.of(() -> hostRestoreTarget.apply(context))
                : settings.restore().dataSourceBean().<Supplier<DataSource>>map(
                        name -> () -> DatabaseDump.lookup(context, name, DataSource.class))
                .or(() -> settings.restore().database().map(db -> () -> PostgresDataSources.create(db)));
        return new DumpResources(source, s3, target.map(Memo::new));
    }

    DataSource source() {
        return source.get();
    }

    S3Client s3() {
        return s3.get();
    }

    /** The database restores go into, when one is configured. */
    Optional<Supplier<DataSource>> restoreTarget() {
        return restoreTarget.map(memo -> memo);
    }
}
