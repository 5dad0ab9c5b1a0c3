package dev.databasedump.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a running dump (or restore) has got; a trigger that wants to show it puts one on the exchange as
 * {@link #PROPERTY} and reads it from another thread. Every working thread counts its rows here, and whichever passes
 * the next five-second mark logs the rows so far and the rate.
 */
public final class DumpProgress {

    public static final String PROPERTY = "databaseDumpProgress";

    private static final Logger LOG = LoggerFactory.getLogger(DumpProgress.class);
    private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;

    private final AtomicInteger tablesTotal = new AtomicInteger();
    private final AtomicInteger tablesDone = new AtomicInteger();
    private final AtomicLong rowsDone = new AtomicLong();
    private volatile long bytesDone;
    private final AtomicLong nextLog = new AtomicLong();
    private volatile long startedNanos;
    private volatile String verb = "Exported";

    /** What the progress line says was done to the rows: "Exported", "Restored". */
    public DumpProgress saying(String doneVerb) {
        this.verb = doneVerb;
        return this;
    }

    public void tablesToDo(int total) {
        tablesTotal.set(total);
        startedNanos = System.nanoTime();
        nextLog.set(startedNanos + LOG_INTERVAL_NANOS);
    }

    void rowDone() {
        long rows = rowsDone.incrementAndGet();
        if ((rows & 0x3FFF) == 0) {
            logIfDue(rows);
        }
    }

    /** {@code count} more rows done at once. */
    public void rowsDone(long count) {
        logIfDue(rowsDone.addAndGet(count));
    }

    private void logIfDue(long rows) {
        long now = System.nanoTime();
        long due = nextLog.get();
        if (now > due && nextLog.compareAndSet(due, now + LOG_INTERVAL_NANOS)) {
            LOG.info("{} {} rows so far ({} of {} tables done) at {} rows/s", verb, String.format("%,d", rows),
                    tablesDone(), tablesTotal(), String.format("%,.0f", rows / ((now - startedNanos) / 1e9)));
        }
    }

    public void tableDone() {
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

    /** Bytes of the document written so far (of a dump stored as it is; an encrypted one is written at the end). */
    public long bytesDone() {
        return bytesDone;
    }

    void bytesDone(long bytes) {
        bytesDone = bytes;
    }
}
