package dev.databasedump.storage;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** What a background part's future ended with, as the exception it threw. */
final class Futures {

    private Futures() {
    }

    /** Waits for {@code part}; rethrows what it threw. */
    static void await(Future<?> part) throws InterruptedException {
        try {
            part.get();
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    /** For a part that is done: returns at once, or throws what the part threw. */
    static void rethrowIfFailed(Future<?> done) {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw rethrown(e);
        }
    }

    static RuntimeException rethrown(ExecutionException e) {
        return e.getCause() instanceof RuntimeException runtime ? runtime
                : new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
}
