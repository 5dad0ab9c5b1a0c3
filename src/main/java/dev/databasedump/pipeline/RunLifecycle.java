package dev.databasedump.pipeline;

import java.util.Optional;
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

        /** What the run is doing now, as a failure names it ("checking references"); null before its first step. */
        String step();

        /** Always last: releases and removes whatever an unfinished run holds or left. */
        void close();
    }

    private static final Logger LOG = LoggerFactory.getLogger(RunLifecycle.class);

    private final String noun;
    private final String verbing;
    private final String property;
    private final Class<R> type;
    private final FailureMessages failures;
    private final Set<R> running = ConcurrentHashMap.newKeySet();

    /**
     * @param noun     what a run is called in logs and errors: "dump", "restore", "verification"
     * @param verbing  what a run does, as a failure of a step we did not foresee names it: "dumping", "verifying"
     * @param property the exchange property that carries the run
     */
    public RunLifecycle(String noun, String verbing, String property, Class<R> type, FailureMessages failures) {
        this.noun = noun;
        this.verbing = verbing;
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
        } else if (FailureMessages.foreseen(caught)) {
            failure = failures.toFailure(caught);
        } else {
            // A failure of ours we did not foresee (a bug, a document we cannot read): the caller gets one line naming
            // the step and the dump; the operator the whole exception, once.
            failure = failures.failure(verbing + " " + Optional.ofNullable(LogContext.key()).orElse("the database")
                    + " failed while " + Optional.ofNullable(run == null ? null : run.step()).orElse("starting")
                    + ": " + FailureMessages.unforeseen(caught), caught);
            LOG.error("{} failed: {}", capitalised(), failure.getMessage(), caught);
            exchange.setProperty(FailureMessages.FAILURE, failure);
            return;
        }
        exchange.setProperty(FailureMessages.FAILURE, failure);
        LOG.error("{} failed: {}", capitalised(), failure.getMessage());
        LOG.debug("{} failure detail", noun, caught);
    }

    private String capitalised() {
        return Character.toUpperCase(noun.charAt(0)) + noun.substring(1);
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
