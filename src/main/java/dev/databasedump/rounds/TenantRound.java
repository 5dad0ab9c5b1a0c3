package dev.databasedump.rounds;

import dev.databasedump.jobs.RoundDumps;
import dev.databasedump.scope.RoundSnapshots;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round on this replica: every tenant of the list gets a turn, on {@code workers} threads, in the order of the
 * list from a place chosen at random (so replicas that start together begin far apart, and each reaches the other's
 * tenants only once they are done, when a look at the bucket skips them). A turn ends in one of four ways
 * ({@link RoundDumps.Outcome}): dumped, skipped (dumped already this period), busy (a dump of the tenant runs
 * elsewhere: its turn comes again a moment later, until the period ends, so a replica that dies mid-dump leaves the
 * tenant to the others), failed (tried once more after the others, then reported). Nothing one tenant does stops the
 * round.
 */
final class TenantRound {

    private static final Logger LOG = LoggerFactory.getLogger(TenantRound.class);
    /** How soon a busy tenant's turn comes again. */
    static final Duration BUSY_AGAIN = Duration.ofSeconds(1);
    /** How soon a failed tenant is tried again (after every tenant waiting already). */
    static final Duration FAILED_AGAIN = Duration.ofSeconds(2);
    private static final int FAILURES_LISTED = 20;
    /**
     * How often at most the tenants dumped elsewhere are listed again: every 2 s, or, when a listing of every tenant's
     * folder takes longer than a fifth of that, at most a tenth of the time (the listing of ten thousand tenants costs
     * the store what a few hundred tenants' looks do).
     */
    static final Duration REFRESH = Duration.ofSeconds(2);
    private static final int REFRESH_COST_SHARE = 10;

    private final String id;
    private final Instant periodStart;
    private final Instant periodEnd;
    private final Clock clock;
    private final Random random;
    private volatile Instant startedAt;
    private volatile Instant endedAt;
    private volatile int tenants;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    /** Turns not settled yet: in the queue or being taken. */
    private final AtomicInteger unsettled = new AtomicInteger();
    private volatile int unfinished;
    private final Set<String> dumping = ConcurrentHashMap.newKeySet();
    private final List<RoundReport.Failure> failures = Collections.synchronizedList(new ArrayList<>());
    private volatile String error;
    private final DelayQueue<Turn> turns = new DelayQueue<>();
    /** Tenants the bucket is known to hold a dump of from this period: skipped without a look of their own. */
    private final Set<String> doneKnown = ConcurrentHashMap.newKeySet();
    /** When the tenants dumped elsewhere may be listed again (System.nanoTime). */
    private final AtomicLong nextRefresh = new AtomicLong(System.nanoTime() + REFRESH.toNanos());
    private RoundMeans means;

    TenantRound(String id, Instant periodStart, Instant periodEnd, Clock clock, Random random) {
        this.id = id;
        this.periodStart = periodStart;
        this.periodEnd = periodEnd;
        this.clock = clock;
        this.random = random;
    }

    String id() {
        return id;
    }

    Instant periodStart() {
        return periodStart;
    }

    /** The round could not start (its list, its first snapshot): it ends at once, saying why. */
    RoundReport failedToStart(String why) {
        startedAt = startedAt == null ? clock.instant().truncatedTo(ChronoUnit.MILLIS) : startedAt;
        error = why;
        endedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return report();
    }

    /**
     * Runs the round to its end: every tenant settled, or the period over. A tenant that turns out dumped elsewhere
     * (another replica's share is then probably reached) has every tenant's folder listed again, at most every
     * {@link #REFRESH} or so, so that this replica skips the rest of that share without a lock and a look each.
     *
     * @param listed      the round's tenants
     * @param doneEarlier the tenants the bucket held a dump of from this period when the round began (no lock needed: a
     *                    stored dump stays stored)
     */
    RoundReport run(List<String> listed, Set<String> doneEarlier, RoundSnapshots snapshots, RoundMeans means)
            throws InterruptedException {
        this.means = means;
        startedAt = startedAt == null ? clock.instant().truncatedTo(ChronoUnit.MILLIS) : startedAt;
        tenants = listed.size();
        int from = listed.isEmpty() ? 0 : random.nextInt(listed.size());
        for (int i = 0; i < listed.size(); i++) {
            String tenant = listed.get((from + i) % listed.size());
            if (doneEarlier.contains(tenant)) {
                skipped.incrementAndGet();
            } else {
                unsettled.incrementAndGet();
                turns.add(new Turn(tenant, 1, 0));
            }
        }
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < means.workers(); i++) {
            running.add(means.pool().submit(() -> work(snapshots)));
        }
        try {
            for (Future<?> worker : running) {
                worker.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            error = "a worker of the round stopped: " + e.getCause();
        } finally {
            running.forEach(worker -> worker.cancel(true));
            snapshots.close();
        }
        unfinished = unsettled.get();
        endedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return report();
    }

    private Void work(RoundSnapshots snapshots) throws InterruptedException {
        try (RoundDumps.Worker worker = means.dumps().worker()) {
            while (unsettled.get() > 0 && clock.instant().isBefore(periodEnd)) {
                Turn turn = turns.poll(200, TimeUnit.MILLISECONDS);
                if (turn != null) {
                    take(turn, worker, snapshots);
                }
            }
        }
        return null;
    }

    private void take(Turn turn, RoundDumps.Worker worker, RoundSnapshots snapshots) {
        String tenant = turn.tenant();
        if (doneKnown.contains(tenant)) {
            settle(tenant);
            return;
        }
        dumping.add(tenant);
        RoundDumps.Result result;
        long started = System.nanoTime();
        try {
            result = worker.dump(tenant, snapshots, listed -> means.keysUnlessDone().apply(listed, periodStart), id);
        } catch (RuntimeException e) {
            result = new RoundDumps.Result(RoundDumps.Outcome.FAILED, null, 0, e.getMessage());
        } finally {
            dumping.remove(tenant);
        }
        switch (result.outcome()) {
            case DUMPED -> {
                done.incrementAndGet();
                means.successes().dumped(tenant, clock.instant());
                unsettled.decrementAndGet();
                LOG.info("Tenant round {}: tenant {} dumped, {} rows in {} ms, as {}", id, tenant, result.rows(),
                        (System.nanoTime() - started) / 1_000_000, result.key());
            }
            case SKIPPED -> {
                settle(tenant);
                refreshDoneKnown();
            }
            case BUSY -> turns.add(new Turn(tenant, turn.attempt(), BUSY_AGAIN.toMillis()));
            case FAILED -> {
                if (turn.attempt() == 1) {
                    LOG.info("Tenant round {}: tenant {} failed, to be tried again: {}", id, tenant, result.error());
                    turns.add(new Turn(tenant, 2, FAILED_AGAIN.toMillis()));
                } else {
                    failed.incrementAndGet();
                    if (failures.size() < FAILURES_LISTED) {
                        failures.add(new RoundReport.Failure(tenant, result.error()));
                    }
                    unsettled.decrementAndGet();
                    LOG.warn("Tenant round {}: tenant {} failed twice: {}", id, tenant, result.error());
                }
            }
        }
    }

    // Dumped since the period began, by another replica or a request: at least that recent.
    private void settle(String tenant) {
        skipped.incrementAndGet();
        means.successes().dumped(tenant, periodStart);
        unsettled.decrementAndGet();
        LOG.info("Tenant round {}: tenant {} skipped, dumped already since {}", id, tenant, periodStart);
    }

    private void refreshDoneKnown() {
        long due = nextRefresh.get();
        long started = System.nanoTime();
        // Far in the future while one worker lists: the others go on without waiting for it.
        if (started < due || !nextRefresh.compareAndSet(due, Long.MAX_VALUE)) {
            return;
        }
        try {
            doneKnown.addAll(means.dumpedSince().apply(periodStart));
        } catch (RuntimeException e) {
            LOG.debug("Could not list the tenants dumped this period: {}", e.getMessage());
        } finally {
            long took = System.nanoTime() - started;
            nextRefresh.set(System.nanoTime() + Math.max(REFRESH.toNanos(), took * REFRESH_COST_SHARE));
        }
    }

    /** Where the round stands now. */
    RoundReport report() {
        boolean ended = endedAt != null;
        return new RoundReport(id, error != null ? "failed" : ended ? "finished" : "running", periodStart, periodEnd,
                startedAt, endedAt, tenants, done.get(), skipped.get(), failed.get(), ended ? 0 : unsettled.get(),
                unfinished, List.copyOf(dumping), List.copyOf(failures), error);
    }

    /** A tenant's turn, due {@code delayMillis} after it is made. */
    private static final class Turn implements Delayed {

        private final String tenant;
        private final int attempt;
        private final long dueNanos;

        Turn(String tenant, int attempt, long delayMillis) {
            this.tenant = tenant;
            this.attempt = attempt;
            this.dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        }

        String tenant() {
            return tenant;
        }

        int attempt() {
            return attempt;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Turn) other).dueNanos);
        }
    }
}
