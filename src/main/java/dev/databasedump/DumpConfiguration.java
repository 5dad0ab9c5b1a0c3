package dev.databasedump;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.storage.DumpKeys;
import dev.databasedump.storage.PartialUploadCleaner;
import dev.databasedump.storage.S3ClientFactory;

import java.time.Clock;
import javax.sql.DataSource;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.postgresql.ds.PGSimpleDataSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Binds the beans the routes in {@code routes/} refer to, built from the {@code dump.} settings. Every bean name starts
 * with {@code dump} so none can collide with a host's beans.
 */
public class DumpConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) {
        DumpSettings settings = DumpSettings.load(key -> context.getPropertiesComponent().resolveProperty(key));
        refuseUnbuiltTriggers(context);
        S3Client s3 = S3ClientFactory.create(settings.storage());
        String bucket = settings.storage().bucket();
        DumpPipeline pipeline = new DumpPipeline(settings, dataSource(settings),
                new DumpKeys(s3, bucket, settings.storage().prefix(), Clock.systemUTC()),
                new PartialUploadCleaner(s3, bucket), Clock.systemUTC(), new ObjectMapper());
        context.getRegistry().bind("dumpSettings", settings);
        context.getRegistry().bind("dumpS3Client", s3);
        context.getRegistry().bind("dumpPipeline", pipeline);
    }

    static DataSource dataSource(DumpSettings settings) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(settings.database().url());
        dataSource.setUser(settings.database().user());
        dataSource.setPassword(settings.database().password());
        // DBAs see who holds the long read transaction in pg_stat_activity.
        dataSource.setApplicationName("database-dump");
        return dataSource;
    }

    // The HTTP and timer triggers are not part of this version: say so rather than silently ignoring the key.
    private static void refuseUnbuiltTriggers(CamelContext context) {
        for (String key : new String[] {"dump.http.enabled", "dump.timer.enabled"}) {
            if (context.getPropertiesComponent().resolveProperty(key).map(Boolean::parseBoolean).orElse(false)) {
                throw new InvalidSettingException(key, "this trigger is not available in this version yet");
            }
        }
    }
}
