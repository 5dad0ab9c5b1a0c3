package dev.databasedump.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a running dump has got; a trigger that wants to show it puts one on the exchange as {@link #PROPERTY}
 * and reads it from another thread. Every reading thread counts its rows here, and whichever passes the next
 * five-second mark logs the rows so far and the rate.
 */
public final class DumpProgress {

    public static final String PROPERTY = "databaseDumpProgress";

    private static final Logger LOG = LoggerFactory.getLogger(DumpProgress.class);
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final AtomicInteger tablesTotal = new AtomicInteger();
    private final AtomicInteger tablesDone = new AtomicInteger();
    private final AtomicLong rowsDone = new AtomicLong();
    private final AtomicLong nextLog = new AtomicLong();
    private volatile long startedNanos;

    void tablesToDo(int total) {
        tablesTotal.set(total);
        startedNanos = System.nanoTime();
        nextLog.set(startedNanos + LOG_INTERVAL_NANOS);
    }

    void rowDone() {
        long rows = rowsDone.incrementAndGet();
        if ((rows & 0x3FFF) == 0) {
            long now = System.nanoTime();
            long due = nextLog.get();
            if (now > due && nextLog.compareAndSet(due, now + LOG_INTERVAL_NANOS)) {
                LOG.info("Exported {} rows so far ({} of {} tables done) at {} rows/s", String.format("%,d", rows),
                        tablesDone(), tablesTotal(), String.format("%,.0f", rows / ((now - startedNanos) / 1e9)));
            }
        }
    }

    void tableDone() {
        tablesDone.incrementAndGet();
    }

    public int tablesTotal() {
        return tablesTotal.get();
    }

    public int tablesDone() {
        return tablesDone.get();
    }

    public long rowsDone() {
        return rowsDone.get();
    }
}
