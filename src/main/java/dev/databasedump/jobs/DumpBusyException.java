package dev.databasedump.jobs;

/** A dump is already running, here or on another replica; triggers are refused, never queued. */
public class DumpBusyException extends RuntimeException {

    public DumpBusyException() {
        super("another dump is running; try again when it has finished");
    }
}
