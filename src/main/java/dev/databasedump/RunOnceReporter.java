package dev.databasedump;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;

import org.apache.camel.Exchange;

/**
 * Reports the one run of {@code dump.run-once} or of a command (verify, restore) the way scripts expect: the summary
 * or report as the last line of stdout and exit code 0, or one line on stderr and exit code 1 (failed, or a dump that
 * did not verify), 2 (a tenant dump of a tenant no row can have) or 3 (another dump of the database was running); then
 * ends the application.
 */
public final class RunOnceReporter {

    static final int EXIT_FAILED = 1;
    /** Nothing was done: what was asked for cannot be (a tenant no row can have), as for a bad setting. */
    static final int EXIT_REFUSED = App.EXIT_BAD_START;
    /** Another dump of the same database was running: nothing was done (a CronJob's runs overlapped). */
    static final int EXIT_BUSY = 3;

    private final PrintStream out;
    private final PrintStream err;
    private final Runnable shutdown;
    private volatile int exitCode;

    public RunOnceReporter(PrintStream out, PrintStream err, Runnable shutdown) {
        this.out = out;
        this.err = err;
        this.shutdown = shutdown;
    }

    public void succeeded(String summaryJson) {
        out.println(summaryJson);
        out.flush();
    }

    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        err.println("database-dump failed: " + StartupFailures.oneLine(failure));
        err.flush();
        exitCode = EXIT_FAILED;
    }

    /**
     * A command's report or summary: printed as the last line of stdout; a verification that found the dump damaged
     * ends with exit code 1, its report printed all the same.
     */
    public void reported(String json) {
        out.println(json);
        out.flush();
        if (notOk(json)) {
            err.println("database-dump: the dump did not verify; see the report's problem");
            err.flush();
            exitCode = EXIT_FAILED;
        }
    }

    private static boolean notOk(String json) {
        try {
            JsonNode ok = new ObjectMapper().readTree(json).get("ok");
            return ok != null && ok.isBoolean() && !ok.booleanValue();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /**
     * A run-once round's report ({@link dev.databasedump.rounds.RoundReport}): printed as the last line of stdout;
     * exit code 1, with one line on stderr, when a tenant failed or the round could not run.
     */
    public void roundReported(dev.databasedump.rounds.RoundReport report) {
        try {
            out.println(new ObjectMapper().writeValueAsString(report));
        } catch (JsonProcessingException e) {
            out.println("{\"state\":\"" + report.state() + "\"}");
        }
        out.flush();
        if (!report.ok()) {
            err.println("database-dump: " + report.line());
            err.flush();
            exitCode = EXIT_FAILED;
        }
    }

    /** A tenant dump of a tenant no row can have (a bad id, an unknown tenant): the caller's mistake, exit code 2. */
    public void refused(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        err.println("database-dump: " + StartupFailures.oneLine(failure));
        err.flush();
        exitCode = EXIT_REFUSED;
    }

    /** Another dump holds the lock: its line says how to find the session that holds it. */
    public void busy(Exchange exchange) {
        Throwable busy = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        err.println("database-dump: " + (busy == null ? "another dump of this database is running"
                : StartupFailures.oneLine(busy)));
        err.flush();
        exitCode = EXIT_BUSY;
    }

    public void finished() {
        shutdown.run();
    }

    public int exitCode() {
        return exitCode;
    }
}
