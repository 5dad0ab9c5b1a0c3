package dev.databasedump.pipeline;

import java.util.Optional;

import org.apache.camel.Exchange;

/**
 * Whose data a dump is asked for: one tenant's, or (empty) everyone's. Said by the {@code DatabaseDumpTenant} header a
 * host sends, else by the trigger (a job, run-once), else by the route template's {@code tenant} parameter.
 */
public final class AskedTenant {

    /** Header a host's message names the tenant with. */
    public static final String HEADER = "DatabaseDumpTenant";
    /** Exchange property a trigger names the tenant with. */
    public static final String PROPERTY = "databaseDumpTenant";
    /** Exchange property the route sets from its template's {@code tenant} parameter. */
    public static final String ROUTE_DEFAULT = "databaseDumpRouteTenant";

    private AskedTenant() {
    }

    public static Optional<String> of(Exchange exchange) {
        return nonBlank(exchange.getMessage().getHeader(HEADER, String.class))
                .or(() -> nonBlank(exchange.getProperty(PROPERTY, String.class)))
                .or(() -> nonBlank(exchange.getProperty(ROUTE_DEFAULT, String.class)));
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
