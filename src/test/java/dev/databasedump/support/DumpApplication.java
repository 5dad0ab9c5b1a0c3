package dev.databasedump.support;

import dev.databasedump.DatabaseDump;
import dev.databasedump.App;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * The application as it runs in production (Camel Main, application.properties, the route in routes/), started
 * in-process against a test database and bucket. {@link #dump()} sends to {@code direct:database-dump}.
 */
public final class DumpApplication implements AutoCloseable {

    private final Main main;
    private final ProducerTemplate template;

    private DumpApplication(Main main) {
        this.main = main;
        this.template = main.getCamelContext().createProducerTemplate();
    }

    /** Settings for {@code database} and {@code bucket}; callers add or replace keys before {@link #start}. */
    public static Map<String, String> settings(TestDatabase database, String bucket, Path tmpDir) {
        S3ProxyServer s3 = S3ProxyServer.get();
        Map<String, String> settings = new HashMap<>();
        settings.put("dump.db.url", database.url());
        settings.put("dump.db.user", database.adminUser());
        settings.put("dump.s3.bucket", bucket);
        settings.put("dump.s3.endpoint", s3.endpoint().toString());
        settings.put("dump.s3.path-style", "true");
        settings.put("dump.s3.access-key", S3ProxyServer.ACCESS_KEY);
        settings.put("dump.s3.secret-key", S3ProxyServer.SECRET_KEY);
        settings.put("dump.s3.part-size", String.valueOf(5 * 1024 * 1024));
        settings.put("dump.tmp-dir", tmpDir.toString());
        settings.put("dump.environment", "test");
        return settings;
    }

    public static DumpApplication start(Map<String, String> settings) {
        return start(settings, Map.of());
    }

    /** As {@link #start(Map)}, with {@code beans} bound in the registry before the routes are made. */
    public static DumpApplication start(Map<String, String> settings, Map<String, Object> beans) {
        Main main = App.newMain();
        beans.forEach(main::bind);
        // The run-once trigger ends the JVM; in-process tests call the pipeline route directly. Loading the template
        // here too, as a host may, must not matter.
        main.addOverrideProperty("camel.main.routes-include-pattern", DatabaseDump.TEMPLATE_RESOURCE);
        settings.forEach(main::addOverrideProperty);
        try {
            main.start();
        } catch (Exception e) {
            main.stop();
            throw new IllegalStateException("application did not start: " + e.getMessage(), e);
        }
        return new DumpApplication(main);
    }

    /** Runs one dump and returns its summary JSON; a failed dump throws. */
    public String dump() {
        return template.requestBody("direct:database-dump", null, String.class);
    }

    /** Runs one dump of {@code tenant}'s data (the DatabaseDumpTenant header) and returns its summary JSON. */
    public String dump(String tenant) {
        return template.requestBodyAndHeader("direct:database-dump", null, "DatabaseDumpTenant", tenant,
                String.class);
    }

    /** Verifies a stored dump (a key, or latest) and returns the report JSON; a dump that cannot be read throws. */
    public String verify(String key) {
        return template.requestBody("direct:database-verify", key, String.class);
    }

    /** Restores a stored dump (a key, or latest) into dump.restore.db.url and returns the summary; a failure throws. */
    public String restore(String key) {
        return template.requestBody("direct:database-restore", key, String.class);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    public void close() {
        template.stop();
        main.stop();
    }
}
