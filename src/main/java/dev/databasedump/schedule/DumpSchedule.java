package dev.databasedump.schedule;

import dev.databasedump.jobs.ClusterLock;
import dev.databasedump.jobs.DumpBusyException;
import dev.databasedump.jobs.DumpJobs;
import dev.databasedump.jobs.Requester;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-dump-schedule} route. A timer ticks every second; {@link #newPeriod} is true on the
 * first tick of each period, and {@link #run} then takes the period for this replica (or learns that another took it)
 * and starts the dump, saying why when it does not, and when the next one is due. A dump never runs at start-up: the
 * first one is at the next period boundary.
 */
public final class DumpSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(DumpSchedule.class);

    private final ScheduleSettings settings;
    private final DumpJobs jobs;
    private final ClusterLock clusterLock;
    private final Clock clock;
    private final Instant anchor;
    private long lastSeenPeriod;

    public DumpSchedule(ScheduleSettings settings, DumpJobs jobs, ClusterLock clusterLock, Clock clock) {
        this.settings = settings;
        this.jobs = jobs;
        this.clusterLock = clusterLock;
        this.clock = clock;
        this.anchor = settings.time().orElse(LocalTime.MIDNIGHT).atDate(java.time.LocalDate.EPOCH)
                .toInstant(ZoneOffset.UTC);
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
        String when = startOf(period).toString();
        try {
            if (!clusterLock.tryClaimPeriod(period)) {
                LOG.info("Skipped the scheduled dump of {}: another replica is taking it", when);
            } else {
                jobs.start(Requester.SCHEDULE);
                LOG.info("Started the scheduled dump of {}", when);
            }
        } catch (DumpBusyException e) {
            LOG.info("Skipped the scheduled dump of {}: a dump is already running", when);
        } catch (RuntimeException e) {
            LOG.warn("Skipped the scheduled dump of {}: {}", when, e.getMessage());
        }
        LOG.info("Next scheduled dump at {}", startOf(period + 1));
    }

    long periodAt(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli() - anchor.toEpochMilli(), settings.period().toMillis());
    }

    Instant startOf(long period) {
        return anchor.plusMillis(period * settings.period().toMillis());
    }
}
