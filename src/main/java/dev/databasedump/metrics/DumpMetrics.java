package dev.databasedump.metrics;

import dev.databasedump.pipeline.DumpProgress;
import dev.databasedump.storage.DumpStore.StoredDump;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The dumps' and restores' meters, all labelled with the database dumped, in a Micrometer registry (Prometheus names
 * in the comments). Every counter an alert rule needs exists from start, at 0: an alert on
 * {@code increase(database_dump_runs_total{outcome="failure"}[1d])} must see the first failure as an increase. The
 * last-success gauges appear only once the last success is known (read from the bucket at start, or a dump of this
 * process's own): a scrape right after a restart must never read 0 where the bucket holds last night's dump, and an
 * absent series is what {@code absent(...)} alerts on.
 */
public final class DumpMetrics implements RunMetrics {

    static final String LAST_SUCCESS = "database_dump_last_success_timestamp_seconds";
    static final String LAST_DURATION = "database_dump_last_success_duration_seconds";
    static final String LAST_ROWS = "database_dump_last_success_rows";
    static final String LAST_BYTES = "database_dump_last_success_bytes";
    static final String RUNNING = "database_dump_running";
    static final String ROWS_EXPORTED = "database_dump_rows_exported";
    static final String ROUND_TENANTS = "database_dump_tenant_round_tenants";
    static final String ROUND_DONE = "database_dump_tenant_round_done";
    static final String ROUND_FAILED = "database_dump_tenant_round_failed";
    static final String ROUND_SKIPPED = "database_dump_tenant_round_skipped";
    static final String ROUND_START = "database_dump_tenant_round_start_timestamp_seconds";
    static final String ROUND_END = "database_dump_tenant_round_end_timestamp_seconds";
    static final String TENANT_OLDEST_SUCCESS = "database_dump_tenant_oldest_success_timestamp_seconds";
    /** database_dump_runs_total{outcome, trigger} */
    static final String DUMP_RUNS = "database.dump.runs";
    /** database_restore_runs_total{outcome} */
    static final String RESTORE_RUNS = "database.restore.runs";

    private final MeterRegistry registry;
    private final String database;
    /** The last success this process knows of: its own, or the newest dump in the bucket at start. */
    private final AtomicReference<Success> lastSuccess = new AtomicReference<>(Success.NONE);
    private final Set<DumpProgress> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean lastSuccessShown = new AtomicBoolean();
    private final AtomicBoolean roundsShown = new AtomicBoolean();
    private final AtomicBoolean oldestSuccessShown = new AtomicBoolean();

    private record Success(double epochSeconds, double durationSeconds, double rows, double bytes, boolean ours) {
        static final Success NONE = new Success(0, 0, 0, 0, false);
    }

    /**
     * Registers the meters in {@code registry}.
     *
     * @param database the name of the database dumped, the {@code database} label of every meter
     * @param triggers the triggers whose runs are counted from start (more are added as they are seen)
     */
    public DumpMetrics(MeterRegistry registry, String database, Collection<String> triggers) {
        this.registry = registry;
        this.database = database;
        gauge(RUNNING, "1 while a dump runs", () -> running.isEmpty() ? 0 : 1);
        gauge(ROWS_EXPORTED, "Rows the running dump has exported so far",
                () -> running.stream().mapToLong(DumpProgress::rowsDone).sum());
        for (String trigger : triggers) {
            for (String outcome : List.of(SUCCESS, FAILURE, BUSY)) {
                dumpRuns(outcome, trigger);
            }
        }
        for (String outcome : List.of(SUCCESS, FAILURE, BUSY)) {
            restoreRuns(outcome);
        }
    }

    /**
     * The newest dump in the bucket, read at start, so that a restarted service does not look as if it never dumped.
     * Ignored once this process has stored a dump of its own.
     */
    public void storedBefore(StoredDump newest) {
        Success before = new Success(newest.lastModified().toEpochMilli() / 1000.0, 0, 0, newest.sizeBytes(), false);
        lastSuccess.accumulateAndGet(before, (current, candidate) -> current.ours() ? current : candidate);
        showLastSuccess();
    }

    /** The bucket was read at start and holds no dump: the last success is known to be none (0). */
    public void noneStoredBefore() {
        showLastSuccess();
    }

    // Registered once, when first known: before that the series are absent, never a misleading 0.
    private void showLastSuccess() {
        if (lastSuccessShown.compareAndSet(false, true)) {
            gauge(LAST_SUCCESS, "Unix time the last dump was stored (0 when none is); read from the bucket at start",
                    () -> lastSuccess.get().epochSeconds());
            gauge(LAST_DURATION, "Seconds the last stored dump took", () -> lastSuccess.get().durationSeconds());
            gauge(LAST_ROWS, "Rows in the last stored dump", () -> lastSuccess.get().rows());
            gauge(LAST_BYTES, "Bytes of the last stored dump, as stored", () -> lastSuccess.get().bytes());
        }
    }

    @Override
    public Running dumpStarted(DumpProgress progress) {
        running.add(progress);
        return () -> running.remove(progress);
    }

    @Override
    public void dumpSucceeded(String trigger, Instant storedAt, Duration took, long rows, long bytes) {
        lastSuccess.set(new Success(storedAt.toEpochMilli() / 1000.0, took.toNanos() / 1e9, rows, bytes, true));
        showLastSuccess();
        dumpRuns(SUCCESS, trigger).increment();
    }

    @Override
    public void tenantDumpSucceeded(String trigger) {
        dumpRuns(SUCCESS, trigger).increment();
    }

    @Override
    public void dumpFailed(String trigger) {
        dumpRuns(FAILURE, trigger).increment();
    }

    @Override
    public void refused(String kind, String trigger) {
        (kind.equals("restore") ? restoreRuns(BUSY) : dumpRuns(BUSY, trigger)).increment();
    }

    @Override
    public void restoreEnded(String outcome) {
        restoreRuns(outcome).increment();
    }

    @Override
    public void tenantRounds(RoundFigures figures) {
        // Each series once: Micrometer warns of a gauge registered twice.
        if (!roundsShown.compareAndSet(false, true)) {
            showOldestSuccess(figures);
            return;
        }
        gauge(ROUND_TENANTS, "Tenants in the latest round of tenant dumps", figures::tenants);
        gauge(ROUND_DONE, "Tenants this replica dumped in the latest round", figures::done);
        gauge(ROUND_FAILED, "Tenants whose dump failed twice in the latest round", figures::failed);
        gauge(ROUND_SKIPPED, "Tenants of the latest round dumped already that period", figures::skipped);
        gauge(ROUND_START, "Unix time the latest round of tenant dumps started", figures::startSeconds);
        gauge(ROUND_END, "Unix time the latest round of tenant dumps ended (0 before the first)", figures::endSeconds);
        showOldestSuccess(figures);
    }

    // Absent until a round has read its list and the bucket: never a 0 that looks like a tenant never dumped.
    private void showOldestSuccess(RoundFigures figures) {
        if (figures.oldestSuccessSeconds().isPresent() && oldestSuccessShown.compareAndSet(false, true)) {
            gauge(TENANT_OLDEST_SUCCESS, "Unix time of the oldest last dump of any listed tenant",
                    () -> figures.oldestSuccessSeconds().orElse(Double.NaN));
        }
    }

    private Counter dumpRuns(String outcome, String trigger) {
        return Counter.builder(DUMP_RUNS).description("Dumps run, by outcome (success, failure, busy) and trigger")
                .tags("database", database, "outcome", outcome, "trigger", trigger).register(registry);
    }

    private Counter restoreRuns(String outcome) {
        return Counter.builder(RESTORE_RUNS).description("Restores of this database's dumps, by outcome")
                .tags("database", database, "outcome", outcome).register(registry);
    }

    private void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).tag("database", database).strongReference(true)
                .register(registry);
    }
}
