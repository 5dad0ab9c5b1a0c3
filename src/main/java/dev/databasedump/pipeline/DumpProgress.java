package dev.databasedump.pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a running dump has got; a trigger that wants to show it puts one on the exchange as {@link #PROPERTY}
 * and reads it from another thread.
 */
public final class DumpProgress {

    public static final String PROPERTY = "databaseDumpProgress";

    private final AtomicInteger tablesTotal = new AtomicInteger();
    private final AtomicInteger tablesDone = new AtomicInteger();
    private final AtomicLong rowsDone = new AtomicLong();

    void tablesToDo(int total) {
        tablesTotal.set(total);
    }

    void rowDone() {
        rowsDone.incrementAndGet();
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
