package dev.databasedump.schedule;

import dev.databasedump.jobs.DumpBusyException;
import dev.databasedump.jobs.DumpJobs;
import dev.databasedump.jobs.Requester;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-dump-schedule} route. A timer ticks every second; {@link #newPeriod} is true on the
 * first tick of each period, and {@link #run} then starts the period's dump, unless another replica is taking it (it
 * holds the database's dump lock) or took it already (the bucket holds a dump taken since the period began, which
 * is asked while holding that lock, so no replica can be storing one meanwhile), saying why when it does not, and
 * when the next one is due. Nothing outlives the lock's transaction, so replicas agree through a transaction pooler
 * too. A dump never runs at start-up: the first one is at the next period boundary.
 */
public final class DumpSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(DumpSchedule.class);

    private final ScheduleSettings settings;
    private final DumpJobs jobs;
    private final Predicate<Instant> storedSince;
    private final Clock clock;
    private final Periods periods;
    private long lastSeenPeriod;

    /** @param storedSince whether the bucket holds a dump taken at or after an instant */
    public DumpSchedule(ScheduleSettings settings, DumpJobs jobs, Predicate<Instant> storedSince, Clock clock) {
        this.settings = settings;
        this.jobs = jobs;
        this.storedSince = storedSince;
        this.clock = clock;
        this.periods = Periods.of(settings);
        this.lastSeenPeriod = periodAt(clock.instant());
        LOG.info("Scheduled dumps every {}; the first at {}", settings.period(), startOf(lastSeenPeriod + 1));
    }

    public synchronized boolean newPeriod() {
        long period = periodAt(clock.instant());
        if (period == lastSeenPeriod) {
            return false;
        }
        lastSeenPeriod = period;
        return true;
    }

    public synchronized void run() {
        long period = lastSeenPeriod;
        Instant start = startOf(period);
        String when = start.toString();
        try {
            if (jobs.startUnless(Requester.SCHEDULE, () -> storedSince.test(start)).isPresent()) {
                LOG.info("Started the scheduled dump of {}", when);
            } else {
                LOG.info("Skipped the scheduled dump of {}: another replica took it already", when);
            }
        } catch (DumpBusyException e) {
            LOG.info("Skipped the scheduled dump of {}: {}", when, e.elsewhere() ? "another replica is taking it"
                    : "a dump is already running");
        } catch (RuntimeException e) {
            LOG.warn("Skipped the scheduled dump of {}: {}", when, e.getMessage());
        }
        LOG.info("Next scheduled dump at {}", startOf(period + 1));
    }

    /** When the next scheduled dump is due. */
    public Instant nextRun() {
        return startOf(periodAt(clock.instant()) + 1);
    }

    /** How often dumps are due. */
    public java.time.Duration period() {
        return settings.period();
    }

    long periodAt(Instant instant) {
        return periods.at(instant);
    }

    Instant startOf(long period) {
        return periods.startOf(period);
    }
}
