package dev.databasedump.storage;

/**
 * The store refused or could not serve a request, explained in one line that says what to check (a setting, a limit),
 * fit to show a caller as it is. Never carries a key or a secret; the SDK's own exception is the cause.
 */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
