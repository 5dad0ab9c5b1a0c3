package dev.databasedump.jobs;

/** As many tenant dumps as {@code dump.tenant.max-concurrent} allows are running here: try again shortly. */
public class TooManyTenantDumpsException extends RuntimeException {

    TooManyTenantDumpsException(int maxConcurrent) {
        super(maxConcurrent + " tenant dump" + (maxConcurrent == 1 ? " is" : "s are")
                + " running (dump.tenant.max-concurrent); try again when one has finished");
    }
}
