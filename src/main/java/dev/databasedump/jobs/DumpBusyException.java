package dev.databasedump.jobs;

/**
 * A dump (or a restore) is already running, here or, for a dump, on another replica; triggers are refused, never
 * queued.
 */
public class DumpBusyException extends RuntimeException {

    public DumpBusyException() {
        super("another dump or restore is running; try again when it has finished");
    }
}
