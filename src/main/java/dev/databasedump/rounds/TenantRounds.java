package dev.databasedump.rounds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.DaemonThreads;
import dev.databasedump.database.StepFailedException;
import dev.databasedump.document.TableKeys;
import dev.databasedump.jobs.ClusterLock;
import dev.databasedump.jobs.DumpBusyException;
import dev.databasedump.jobs.RoundDumps;
import dev.databasedump.metrics.RunMetrics;
import dev.databasedump.notify.WebhookNotifier;
import dev.databasedump.pipeline.FailureMessages;
import dev.databasedump.schedule.Periods;
import dev.databasedump.scope.RoundSnapshot;
import dev.databasedump.scope.RoundSnapshots;
import dev.databasedump.scope.TenantList;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.storage.DumpStore;
import dev.databasedump.storage.RetentionPolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-dump-tenant-rounds} route, and the run-once round ({@code DUMP_TENANT=all}): each
 * period, every tenant's own dump, shared by every replica with the same settings. Each replica runs the period's
 * round (a replica that starts mid-period joins it at once); the tenants' locks and the bucket decide who dumps whom
 * (see {@link TenantRound}). A round reads its list and plans the tenants' scope once per snapshot, shares each
 * snapshot among the tenants dumped within {@link #SNAPSHOT_AGE} of its opening, tells the webhook once, logs one
 * line per tenant and one for the round, and keeps the figures the metrics show.
 */
public final class TenantRounds implements AutoCloseable {

    /** How long a round's snapshot is shared before the next tenants get a new one. */
    static final Duration SNAPSHOT_AGE = Duration.ofSeconds(10);
    /** The lock a run-once round holds ("DURO"): two overlapping run-once rounds are one too many (exit code 3). */
    static final int RUN_ONCE_ROUND = 0x4455524f;
    private static final Logger LOG = LoggerFactory.getLogger(TenantRounds.class);

    private final TenantRoundSettings settings;
    private final DumpSettings dumpSettings;
    private final Supplier<DataSource> dataSource;
    private final Supplier<DumpStore> store;
    private final Supplier<RetentionPolicy> retention;
    private final WebhookNotifier notifier;
    private final Supplier<RunMetrics> metrics;
    private final ClusterLock clusterLock;
    private final Clock clock;
    private final Periods periods;
    private final Random random = new Random();
    private final TableKeys tableKeys;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService coordinator = DaemonThreads.singleWorker("database-dump-tenant-round");
    private final ExecutorService workers;
    private final TenantSuccesses successes;
    private final RoundMeters meters;
    private final RoundMeans means;
    private volatile TenantRound latest;
    private volatile RoundReport lastFinished;
    private volatile RoundSnapshots snapshots;
    private Long lastSeenPeriod;
    private volatile boolean running;

    public TenantRounds(TenantRoundSettings settings, DumpSettings dumpSettings, RoundDumps dumps,
            Supplier<DataSource> dataSource, Supplier<DumpStore> store, Supplier<RetentionPolicy> retention,
            WebhookNotifier notifier, Supplier<RunMetrics> metrics, ClusterLock clusterLock, Clock clock) {
        this.settings = settings;
        this.dumpSettings = dumpSettings;
        this.dataSource = dataSource;
        this.store = store;
        this.retention = retention;
        this.notifier = notifier;
        this.metrics = metrics;
        this.clusterLock = clusterLock;
        this.clock = clock;
        this.periods = Periods.of(settings.schedule());
        this.tableKeys = new TableKeys(dumpSettings.schemas());
        this.workers = DaemonThreads.pool("database-dump-tenant-round-worker", dumpSettings.tenants().maxConcurrent());
        this.successes = new TenantSuccesses(clock);
        this.means = new RoundMeans(dumps, dumpSettings.tenants().maxConcurrent(), workers,
                (tenant, since) -> store.get().tenantFolders().keysUnlessDumpedSince(store.get().tenantDumps(tenant),
                        since),
                since -> dumpedSince(store.get().tenantFolders().newestTenantDumps(), since), successes);
        this.meters = new RoundMeters(() -> latest == null ? null : latest.report(), () -> lastFinished, successes);
    }

    /**
     * True on the first tick (a replica that starts mid-period joins its round) and on the first tick of each period,
     * unless this replica's round of the last period still runs (it ends with its period).
     */
    public synchronized boolean due() {
        long period = periods.at(clock.instant());
        if (running || (lastSeenPeriod != null && lastSeenPeriod == period)) {
            return false;
        }
        lastSeenPeriod = period;
        return true;
    }

    /** Starts the current period's round in the background. */
    public void start() {
        long period = periods.at(clock.instant());
        running = true;
        metrics.get().tenantRounds(meters);
        coordinator.execute(() -> {
            try {
                round(period);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.warn("The tenant round of {} stopped: {}", periods.startOf(period), e.getMessage());
            } finally {
                running = false;
            }
        });
    }

    /**
     * A round now, for run-once ({@code DUMP_TENANT=all}): its report; a round of the current period that skips the
     * tenants dumped since it began.
     *
     * @throws DumpBusyException when another run-once round of this database runs
     */
    public RoundReport runOnce() throws InterruptedException {
        Optional<ClusterLock.Held> alone = clusterLock.tryLock(RUN_ONCE_ROUND, 0);
        if (alone.isEmpty()) {
            throw DumpBusyException.round(RUN_ONCE_ROUND);
        }
        try (ClusterLock.Held held = alone.get()) {
            metrics.get().tenantRounds(meters);
            running = true;
            return round(periods.at(clock.instant()));
        } finally {
            running = false;
        }
    }

    private RoundReport round(long period) throws InterruptedException {
        Instant start = periods.startOf(period);
        TenantRound round = new TenantRound(UUID.randomUUID().toString().substring(0, 8), start,
                periods.startOf(period + 1), clock, random);
        latest = round;
        AtomicBoolean firstSnapshot = new AtomicBoolean(true);
        RoundSnapshots shared = new RoundSnapshots(() -> RoundSnapshot.open(dataSource.get(), dumpSettings,
                table -> tableKeys.of(table.schema(), table.name()), firstSnapshot.getAndSet(false),
                settings.tenantsQuery().isEmpty(), clock), SNAPSHOT_AGE, clock);
        snapshots = shared;
        LOG.info("Tenant round {} of the period from {} begins", round.id(), start);
        RoundReport report;
        TenantList.Listed listed = null;
        try {
            RoundSnapshot first = shared.current();
            listed = first.read(connection -> TenantList.read(connection, first.plan(), settings.tenantsQuery()));
            Set<String> doneEarlier = successes.listed(listed.ids(), newestTenantDumps(), start);
            metrics.get().tenantRounds(meters);
            report = round.run(listed.ids(), doneEarlier, shared, means);
        } catch (InterruptedException e) {
            shared.close();
            throw e;
        } catch (Exception e) {
            shared.close();
            report = round.failedToStart(describe(e));
        }
        if (listed != null) {
            retention.get().expireAbsentTenants(new HashSet<>(listed.ids()));
        }
        lastFinished = report;
        metrics.get().tenantRounds(meters);
        if (report.ok()) {
            LOG.info(report.line());
        } else {
            LOG.warn(report.line());
        }
        notifier.roundEnded(json(report), report.ok());
        return report;
    }

    // One listing of every tenant's folder saves a lock and a listing per tenant dumped already; without it (a store
    // that fails to list now) each tenant is looked at under its lock as usual.
    private Optional<Map<String, Instant>> newestTenantDumps() {
        try {
            return Optional.of(store.get().tenantFolders().newestTenantDumps());
        } catch (RuntimeException e) {
            LOG.warn("Could not list the tenants' dumps at the round's start; each tenant's folder is looked at on its"
                    + " turn instead: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private static Set<String> dumpedSince(Map<String, Instant> newest, Instant periodStart) {
        Set<String> done = new HashSet<>();
        newest.forEach((tenant, at) -> {
            if (!at.isBefore(periodStart)) {
                done.add(tenant);
            }
        });
        return done;
    }

    private String describe(Exception e) {
        FailureMessages failures = new FailureMessages(dumpSettings.secrets(), "s3://" + store.get().bucket());
        if (e instanceof StepFailedException step) {
            return failures.failed(step).getMessage();
        }
        return failures.failed("listing the round's tenants", e).getMessage();
    }

    /** Where the current round (or the last one) stands, as JSON; {@code {"state":"none"}} before the first. */
    public String current() {
        TenantRound round = latest;
        RoundReport finished = lastFinished;
        if (round == null) {
            return "{\"state\":\"none\"}";
        }
        return json(finished != null && finished.id().equals(round.id()) ? finished : round.report());
    }

    private String json(RoundReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops the round now (the application is stopping): its snapshot's connections are cut, its workers stopped. */
    @Override
    public void close() {
        RoundSnapshots open = snapshots;
        if (open != null) {
            open.abort();
        }
        coordinator.shutdownNow();
        workers.shutdownNow();
    }
}
