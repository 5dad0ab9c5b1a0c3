package dev.databasedump;

import java.util.Optional;

/**
 * A command given on the command line: {@code verify <key|latest>} or {@code restore <key|latest>}. Operators script
 * these, so they are part of the interface. With no command the application runs its triggers as configured.
 *
 * @param name {@code verify} or {@code restore}
 * @param key  a dump's key, or {@code latest}
 */
record Command(String name, String key) {

    static final String USAGE = "usage: java -jar database-dump.jar [verify <key|latest> | restore <key|latest>]";

    /** The command in {@code args}, if the first argument names one; a command without its key is refused. */
    static Optional<Command> parse(String[] args) {
        if (args.length == 0 || !(args[0].equals("verify") || args[0].equals("restore"))) {
            return Optional.empty();
        }
        if (args.length != 2 || args[1].isBlank()) {
            throw new IllegalArgumentException(USAGE);
        }
        return Optional.of(new Command(args[0], args[1]));
    }

    /** The route the command runs, made from the template of the same name. */
    String endpoint() {
        return "direct:database-" + name;
    }
}
