package dev.databasedump;

import java.io.PrintStream;

import org.apache.camel.Exchange;

/**
 * Reports the one dump of {@code dump.run-once} the way scripts expect: the summary as the last line of stdout and
 * exit code 0, or one line on stderr and a non-zero exit code; then ends the application.
 */
public final class RunOnceReporter {

    static final int EXIT_FAILED = 1;

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

    public void finished() {
        shutdown.run();
    }

    public int exitCode() {
        return exitCode;
    }
}
