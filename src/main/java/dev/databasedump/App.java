package dev.databasedump;

import dev.databasedump.settings.UnknownSettings;

import java.util.List;
import java.util.Optional;

import org.apache.camel.main.Main;
import org.slf4j.LoggerFactory;

/**
 * Runs database-dump standalone: Camel Main with the routes in {@code routes/} and the beans of
 * {@link DumpConfiguration}; or, given {@code verify <key|latest>} or {@code restore <key|latest>}, that one command.
 */
public final class App {

    static final int EXIT_BAD_START = 2;
    /** The packaged application.properties; every key can still be overridden by its environment variable. */
    static final String SETTINGS_RESOURCE = "database-dump/application.properties";
    static final String SETTINGS = "classpath:" + SETTINGS_RESOURCE;
    static final String COMMAND_ROUTE = "classpath:database-dump/routes/command.camel.yaml";

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
            Optional<String> logging = loggingConfiguration(System.getProperty("dump.log.format",
                    System.getenv().getOrDefault("DUMP_LOG_FORMAT", "text")));
            if (logging.isEmpty()) {
                System.err.println("database-dump failed to start: dump.log.format must be text or json");
                System.exit(EXIT_BAD_START);
                return;
            }
            System.setProperty("log4j2.configurationFile", logging.get());
        }
        Optional<Command> command;
        try {
            command = Command.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(EXIT_BAD_START);
            return;
        }
        List<String> unknown = UnknownSettings.find(UnknownSettings.keysOf(SETTINGS_RESOURCE), System.getenv(),
                System.getProperties());
        if (!unknown.isEmpty()) {
            LoggerFactory.getLogger(App.class).warn("Ignoring settings this version does not know: {}"
                    + " (docs/configuration.md lists every setting)", String.join(", ", unknown));
        }
        Main main = newMain();
        command.ifPresent(run -> runsOnly(main, run));
        main.configure().addConfiguration(RequireTrigger.class);
        RunOnceReporter runOnce = new RunOnceReporter(System.out, System.err, main::completed);
        main.bind("runOnceReporter", runOnce);
        int exitCode;
        try {
            exitCode = main.run(command.isPresent() ? new String[0] : args);
        } catch (Exception e) {
            // Secrets cannot reach this line: settings errors never quote secret values.
            System.err.println("database-dump failed to start: " + StartupFailures.oneLine(e));
            exitCode = EXIT_BAD_START;
        }
        System.exit(exitCode != 0 ? exitCode : runOnce.exitCode());
    }

    /**
     * The log4j configuration of {@code dump.log.format}: readable lines, or one JSON object per line. Read from the
     * environment (or -D) before anything logs, since logging starts before the settings are read.
     */
    static Optional<String> loggingConfiguration(String format) {
        return switch (format.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "text" -> Optional.of("database-dump-log4j2.properties");
            case "json" -> Optional.of("database-dump-log4j2-json.properties");
            default -> Optional.empty();
        };
    }

    // A command runs its one route and nothing else: no dump, no HTTP server, no schedule, whatever the settings say.
    private static void runsOnly(Main main, Command command) {
        main.addOverrideProperty("camel.main.routes-include-pattern", COMMAND_ROUTE);
        main.addOverrideProperty("dump.command", command.name());
        main.addOverrideProperty("dump.command.key", command.key());
        main.addOverrideProperty("dump.command.endpoint", command.endpoint());
        main.addOverrideProperty("dump.run-once", "false");
        main.addOverrideProperty("dump.http.enabled", "false");
        main.addOverrideProperty("dump.timer.enabled", "false");
        main.addOverrideProperty("dump.tenant.schedule.enabled", "false");
    }
}
