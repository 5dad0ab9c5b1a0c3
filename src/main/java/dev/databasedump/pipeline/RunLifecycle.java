package dev.databasedump.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every run of a route shares, whatever it does (a dump, a verification, a restore): it is known while it runs,
 * so the application's stop can cut it short; any failure becomes one clean line, logged once and rethrown to the
 * caller; and its clean-up always runs last.
 *
 * @param <R> the route's run
 */
public final class RunLifecycle<R extends RunLifecycle.Run> {

    /** One run of a route, as its lifecycle sees it. */
    public interface Run {

        /** From another thread, when the application stops: end at once, so the normal clean-up runs. */
        void abort();

        /** Whether {@link #abort} was called: the failure then says the application stopped it. */
        boolean aborted();

        /** The first failure of work done on several threads, which the others only followed; null if none. */
        DumpFailedException firstFailure();

        /** Always last: releases and removes whatever an unfinished run holds or left. */
        void close();
    }

    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final String noun;
    private final String property;
    private final Class<R> type;
    private final FailureMessages failures;
    private final Set<R> running = ConcurrentHashMap.newKeySet();

    /**
     * @param noun     what a run is called in logs and errors: "dump", "restore", "verification"
     * @param property the exchange property that carries the run
     */
    public RunLifecycle(String noun, String property, Class<R> type, FailureMessages failures) {
        this.noun = noun;
        this.property = property;
        this.type = type;
        this.failures = failures;
    }

    /** Makes {@code run} the exchange's run, stopped with the application. */
    public R begin(Exchange exchange, R run) {
        exchange.setProperty(property, run);
        running.add(run);
        return run;
    }

    /** Turns any failure of the route into one clean line, logs it and keeps it on the exchange. */
    public void failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        R run = exchange.getProperty(property, type);
        DumpFailedException failure;
        if (run != null && run.aborted()) {
            failure = failures.failure("the " + noun + " was stopped: the application is shutting down", caught);
        } else if (run != null && run.firstFailure() != null) {
            failure = run.firstFailure();
        } else {
            failure = failures.toFailure(caught);
        }
        exchange.setProperty(FailureMessages.FAILURE, failure);
        LOG.error("{} failed: {}", Character.toUpperCase(noun.charAt(0)) + noun.substring(1), failure.getMessage());
        LOG.debug("{} failure detail", noun, caught);
    }

    /** Rethrows the failure {@link #failure} kept. */
    public void fail(Exchange exchange) {
        throw exchange.getProperty(FailureMessages.FAILURE, DumpFailedException.class);
    }

    /** Always last: the run's clean-up. */
    public void close(Exchange exchange) {
        R run = exchange.getProperty(property, type);
        if (run == null) {
            return;
        }
        running.remove(run);
        run.close();
    }

    /** Stops every running run now, because the application is stopping. */
    public void abortRunning() {
        for (R run : running) {
            LOG.warn("Stopping the running {}: the application is shutting down", noun);
            run.abort();
        }
    }
}
