package dev.databasedump;

import dev.databasedump.database.PostgresDataSources;
import dev.databasedump.settings.DatabaseSettings;

import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * The training run {@code mvn package} records the class-data-sharing archive with ({@code target/database-dump.jsa},
 * which {@code target/database-dump} starts the application with): it starts the application and sends a dump and a
 * verification through their routes against a database and a store that are not there, so that the classes of a real
 * run (Camel and its routes, the AWS SDK's whole request path, pgjdbc's connection, logging) are loaded and archived,
 * and the next start skips finding, parsing and verifying them. Needs no service; ends in a few seconds.
 */
public final class CdsTraining {

    private static final String NOWHERE = "127.0.0.1:1";

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("log4j2.configurationFile", App.loggingConfiguration("text").orElseThrow());
        Main main = App.newMain();
        // The routes without a trigger, which would want the run-once reporter of App.main; the few classes of the
        // triggers load from the jar as usual.
        main.addOverrideProperty("camel.main.routes-include-pattern", DatabaseDump.TEMPLATE_RESOURCE);
        Map.of("dump.db.url", "jdbc:postgresql://" + NOWHERE + "/training",
                "dump.restore.db.url", "jdbc:postgresql://" + NOWHERE + "/training_restore",
                "dump.s3.endpoint", "http://" + NOWHERE,
                "dump.s3.path-style", "true",
                "dump.s3.access-key", "training",
                "dump.s3.secret-key", "training")
                .forEach(main::addOverrideProperty);
        main.start();
        try {
            ProducerTemplate routes = main.getCamelContext().createProducerTemplate();
            for (String entry : new String[] {"direct:database-dump", "direct:database-verify",
                    "direct:database-restore"}) {
                try {
                    routes.requestBody(entry, "latest", String.class);
                } catch (RuntimeException expected) {
                    // Nothing is there to answer: each run fails, as it should, having loaded its classes.
                }
            }
            try {
                PostgresDataSources.create(new DatabaseSettings("jdbc:postgresql://" + NOWHERE + "/training",
                        "training", "")).getConnection().close();
            } catch (Exception expected) {
                // Connection refused, after pgjdbc's connection classes are loaded.
            }
        } finally {
            main.stop();
        }
    }
}
