package dev.databasedump.metrics;

import dev.databasedump.storage.DumpStore;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, once at start and in the background, the newest dump in the bucket into the last-success metrics: a
 * restarted service reports the dump it stored before, not 0, so a dead man's switch does not fire on every restart.
 * Until it has been read the last-success series are absent from {@code /metrics}, and they stay so when it cannot be.
 */
public final class LastDumpInBucket {

    private static final Logger LOG = LoggerFactory.getLogger(LastDumpInBucket.class);

    private LastDumpInBucket() {
    }

    public static void readInBackground(Supplier<DumpStore> store, DumpMetrics metrics) {
        Thread reader = new Thread(() -> read(store, metrics), "database-dump-last-success");
        reader.setDaemon(true);
        reader.start();
    }

    static void read(Supplier<DumpStore> store, DumpMetrics metrics) {
        try {
            store.get().list().stream().findFirst().ifPresentOrElse(metrics::storedBefore, metrics::noneStoredBefore);
        } catch (RuntimeException e) {
            // The store's errors never carry a secret. An unreachable bucket is worth the alert it may cause.
            LOG.warn("Could not read the newest dump's time from the bucket: database_dump_last_success_* stay out of"
                    + " /metrics until a dump succeeds (absent(database_dump_last_success_timestamp_seconds) alerts"
                    + " on that): {}", e.getMessage());
        }
    }
}
