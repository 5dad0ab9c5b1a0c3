package dev.databasedump;

import org.apache.camel.main.Main;

/** Runs database-dump standalone: Camel Main with the routes in {@code routes/} and the beans of {@link DumpConfiguration}. */
public final class App {

    static final int EXIT_BAD_START = 2;
    /** The packaged application.properties; every key can still be overridden by its environment variable. */
    static final String SETTINGS = "classpath:database-dump/application.properties";

    private App() {
    }

    /** The application's Camel Main: its settings file and the dump route; triggers are bound by the caller. */
    public static Main newMain() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(SETTINGS);
        main.configure().addConfiguration(DumpConfiguration.class);
        return main;
    }

    public static void main(String[] args) {
        // Our logging setup applies to the standalone application only, never to a host that embeds the library.
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "database-dump-log4j2.properties");
        }
        Main main = newMain();
        main.configure().addConfiguration(RequireTrigger.class);
        RunOnceReporter runOnce = new RunOnceReporter(System.out, System.err, main::completed);
        main.bind("runOnceReporter", runOnce);
        int exitCode;
        try {
            exitCode = main.run(args);
        } catch (Exception e) {
            // Secrets cannot reach this line: settings errors never quote secret values.
            System.err.println("database-dump failed to start: " + StartupFailures.oneLine(e));
            exitCode = EXIT_BAD_START;
        }
        System.exit(exitCode != 0 ? exitCode : runOnce.exitCode());
    }
}
