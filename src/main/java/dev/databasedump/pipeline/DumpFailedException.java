package dev.databasedump.pipeline;

/**
 * A run of database-dump (a dump, a verification, a restore) that did not complete. Its message is one line that says
 * what failed, with secrets masked, fit to show a caller as it is; the cause keeps the detail for a debug log.
 */
public class DumpFailedException extends RuntimeException {

    public DumpFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
