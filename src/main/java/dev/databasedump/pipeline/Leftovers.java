package dev.databasedump.pipeline;

import dev.databasedump.document.TempFiles;
import dev.databasedump.document.TempFiles.Swept;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.storage.DumpStore;

import java.time.Clock;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What dumps that died (kill -9, a lost node) left, which no other step would ever remove: their temporary files, at
 * once (their lock died with their process), and their open uploads, once their dump is older than
 * {@code dump.cleanup.stale-after}. Removed before each dump, reported in one line; never fails a dump.
 */
final class Leftovers {

    private static final Logger LOG = LoggerFactory.getLogger(Leftovers.class);

    private final DumpSettings settings;
    private final DumpStore store;
    private final Clock clock;
    private final FailureMessages failures;

    Leftovers(DumpSettings settings, DumpStore store, Clock clock, FailureMessages failures) {
        this.settings = settings;
        this.store = store;
        this.clock = clock;
        this.failures = failures;
    }

    /** The temporary files; before the bucket is checked, since they need no store. */
    Swept sweepFiles() {
        return TempFiles.sweep(settings.tmpDir(), settings.staleAfter(), clock);
    }

    /** The open uploads, once the bucket is known to answer; then the one line of what was removed. */
    void sweepUploads(Swept files) {
        List<String> uploads;
        try {
            uploads = store.abortStaleUploads(settings.staleAfter());
        } catch (RuntimeException e) {
            LOG.warn("Could not look for uploads that earlier dumps left open: {}", failures.describe(e));
            uploads = List.of();
        }
        if (files.files() > 0 || !uploads.isEmpty()) {
            LOG.info("Removed what dumps that died left: {} open upload{} {}, {} temporary file{} ({} bytes) in {}",
                    uploads.size(), uploads.size() == 1 ? "" : "s", uploads, files.files(),
                    files.files() == 1 ? "" : "s", files.bytes(), settings.tmpDir());
        }
    }
}
