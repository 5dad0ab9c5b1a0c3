package dev.databasedump.pipeline;

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
}
