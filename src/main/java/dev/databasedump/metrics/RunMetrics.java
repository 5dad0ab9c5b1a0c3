package dev.databasedump.metrics;

import dev.databasedump.pipeline.DumpProgress;

import java.time.Duration;
import java.time.Instant;

/**
 * What the dump and restore routes and the triggers tell operations: each dump's start, outcome and figures, each
 * restore's outcome, each refused run. {@link #NONE} when nobody collects metrics (a host that gave no
 * MeterRegistry); {@link DumpMetrics} publishes them to Micrometer.
 */
public interface RunMetrics {

    /** Outcomes, as the {@code outcome} label gives them. */
    String SUCCESS = "success";
    String FAILURE = "failure";
    String BUSY = "busy";
    /** The trigger label of a dump sent straight to the route by a host (not through the application's triggers). */
    String EMBEDDED = "embedded";

    RunMetrics NONE = new RunMetrics() {
    };

    /** A dump began; it counts as running, its progress as the rows exported, until the returned handle closes. */
    default Running dumpStarted(DumpProgress progress) {
        return () -> { };
    }

    /** A dump was stored (and verified, when asked) at {@code storedAt}. */
    default void dumpSucceeded(String trigger, Instant storedAt, Duration took, long rows, long bytes) {
    }

    /** A tenant's dump was stored: counted as a run, never as the database's last success (a full dump). */
    default void tenantDumpSucceeded(String trigger) {
    }

    default void dumpFailed(String trigger) {
    }

    /** A dump or a restore ({@code kind}) was refused because one was running. */
    default void refused(String kind, String trigger) {
    }

    /** A restore ended: {@link #SUCCESS} or {@link #FAILURE}. */
    default void restoreEnded(String outcome) {
    }

    /** The rounds of tenant dumps publish {@code figures}; called again whenever the oldest success may be known. */
    default void tenantRounds(RoundFigures figures) {
    }

    /** A running dump, until it ends. */
    interface Running extends AutoCloseable {

        @Override
        void close();
    }
}
