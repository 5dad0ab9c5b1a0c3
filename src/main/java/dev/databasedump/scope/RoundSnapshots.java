package dev.databasedump.scope;

import dev.databasedump.database.StepFailedException;

import java.time.Clock;
import java.time.Duration;

/**
 * The snapshots a round's tenant dumps read in, one after another: each tenant's dump takes its share of the current
 * one, and a snapshot older than {@code maxAge} gives way to a new one for the tenants after it (it ends once its own
 * are done). So the round pays a snapshot's opening (the catalog, the scope plan, the table locks) once per
 * {@code maxAge}, not once per tenant, and holds none much longer than that: a restore or a migration waiting for the
 * tables waits no longer than a full dump would make it.
 */
public final class RoundSnapshots implements AutoCloseable {

    /** Opens a snapshot for the round. */
    public interface Opener {
        RoundSnapshot open() throws StepFailedException;
    }

    private final Opener opener;
    private final Duration maxAge;
    private final Clock clock;
    private RoundSnapshot current;
    private boolean closed;

    public RoundSnapshots(Opener opener, Duration maxAge, Clock clock) {
        this.opener = opener;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /**
     * {@code tenant}'s share of the current snapshot (a new one when it is older than the round allows).
     *
     * @throws StepFailedException when no snapshot opens, or as the tenant's own dump would fail
     */
    public RoundSnapshot.TenantSnapshot share(String tenant) throws StepFailedException {
        RoundSnapshot snapshot;
        synchronized (this) {
            snapshot = current();
            snapshot.hold();
        }
        return snapshot.share(tenant);
    }

    /** The current snapshot, opened now if there is none or it is too old. */
    public synchronized RoundSnapshot current() throws StepFailedException {
        if (closed) {
            throw StepFailedException.because("opening a snapshot for the round", "the round has ended");
        }
        if (current != null && !current.olderThan(maxAge, clock)) {
            return current;
        }
        if (current != null) {
            current.retire();
            current = null;
        }
        current = opener.open();
        return current;
    }

    /** Cuts every connection of the current snapshot, from another thread (the application is stopping). */
    public synchronized void abort() {
        if (current != null) {
            current.abort();
        }
    }

    /** The round is over: its last snapshot ends once its dumps are done. */
    @Override
    public synchronized void close() {
        closed = true;
        if (current != null) {
            current.retire();
            current = null;
        }
    }
}
