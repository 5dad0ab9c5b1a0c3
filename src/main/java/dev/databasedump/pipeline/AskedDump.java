package dev.databasedump.pipeline;

import dev.databasedump.storage.DumpStore;
import dev.databasedump.storage.StoredDumpStream;

import org.apache.camel.Exchange;

/** Which stored dump a caller asks a verification or a restore for: a key, or the newest one. */
public final class AskedDump {

    /** Header that names the dump (a key, or {@code latest}); the body may name it instead. */
    public static final String HEADER = "DatabaseDumpKey";
    /** What a caller says for the newest dump under the prefix. */
    public static final String LATEST = "latest";

    private AskedDump() {
    }

    /** The header's key, else the body's, else {@code latest}. */
    public static String of(Exchange exchange) {
        String asked = exchange.getMessage().getHeader(HEADER, String.class);
        if (asked == null) {
            asked = exchange.getMessage().getBody(String.class);
        }
        return asked == null || asked.isBlank() ? LATEST : asked.strip();
    }

    /**
     * Opens the dump {@code asked} names (a key, or {@code latest}) for reading, its key in every later log line.
     *
     * @throws DumpFailedException naming the asked dump when it cannot be found or opened
     */
    public static StoredDumpStream open(DumpStore store, FailureMessages failures, String asked) {
        try {
            String key = store.resolve(asked);
            LogContext.key(key);
            return store.open(key);
        } catch (RuntimeException e) {
            throw failures.failed("opening dump " + asked, e);
        }
    }
}
