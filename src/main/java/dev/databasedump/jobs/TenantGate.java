package dev.databasedump.jobs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may start a tenant dump now: at most one dump of a tenant at a time, here and (through its own advisory lock,
 * apart from the full dump's) on every replica; and at most {@code dump.tenant.max-concurrent} tenant dumps at once in
 * this process. A tenant dump neither waits for nor blocks a full dump. A round of tenant dumps takes the same lock
 * per tenant, and beside it a second that says "a round holds it": a request for a tenant a round is dumping, here or
 * on another replica, waits for that short dump to end (up to {@link #ROUND_YIELD}) instead of being refused.
 */
final class TenantGate {

    /** First key of the lock a tenant's dump holds while it runs ("DUMT"); the second is the tenant's hash. */
    static final int TENANT_DUMP = 0x44554d54;
    /** First key of the lock a round holds beside {@link #TENANT_DUMP} while it dumps a tenant ("DUMR"). */
    static final int ROUND_TENANT = 0x44554d52;
    /** How long a request waits for a round's dump of the same tenant to end. */
    static final Duration ROUND_YIELD = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofMillis(100);

    private final ClusterLock clusterLock;
    private final int maxConcurrent;
    private final Set<String> running = new HashSet<>();
    /** Tenants a round of this process is dumping now; not counted in {@code max-concurrent}. */
    private final Set<String> inRound = new HashSet<>();

    TenantGate(ClusterLock clusterLock, int maxConcurrent) {
        this.clusterLock = clusterLock;
        this.maxConcurrent = maxConcurrent;
    }

    /**
     * Lets a dump of {@code tenant} in, holding its locks until the returned pass is closed.
     *
     * @throws DumpBusyException         when a dump of the tenant runs, here or elsewhere
     * @throws TooManyTenantDumpsException when this process runs {@code dump.tenant.max-concurrent} already
     */
    Pass enter(String tenant) {
        synchronized (running) {
            if (running.contains(tenant)) {
                throw DumpBusyException.tenant(tenant);
            }
            if (running.size() >= maxConcurrent) {
                throw new TooManyTenantDumpsException(maxConcurrent);
            }
            running.add(tenant);
        }
        Optional<ClusterLock.Held> lock;
        try {
            lock = lockYieldedByRounds(tenant);
        } catch (RuntimeException e) {
            leave(tenant);
            throw e;
        }
        if (lock.isEmpty()) {
            leave(tenant);
            throw DumpBusyException.tenantElsewhere(tenant, TENANT_DUMP, key(tenant));
        }
        return new Pass(tenant, lock.get(), running);
    }

    // A round's dump of one tenant is short: a request for that tenant waits for it rather than being refused.
    private Optional<ClusterLock.Held> lockYieldedByRounds(String tenant) {
        long deadline = System.nanoTime() + ROUND_YIELD.toNanos();
        while (true) {
            Optional<ClusterLock.Held> lock = roundHere(tenant) ? Optional.empty()
                    : clusterLock.tryLock(TENANT_DUMP, key(tenant));
            if (lock.isPresent() || System.nanoTime() > deadline
                    || !(roundHere(tenant) || clusterLock.heldAnywhere(ROUND_TENANT, key(tenant)))) {
                return lock;
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    private boolean roundHere(String tenant) {
        synchronized (running) {
            return inRound.contains(tenant);
        }
    }

    /**
     * Lets a round's dump of {@code tenant} in, on one of the round's lock sessions; empty when a dump of the tenant
     * runs, here or elsewhere. Not counted in {@code max-concurrent}: the round runs that many workers of its own.
     */
    Optional<Pass> enterRound(String tenant, ClusterLock.Session session) {
        synchronized (running) {
            if (running.contains(tenant) || inRound.contains(tenant)) {
                return Optional.empty();
            }
            inRound.add(tenant);
        }
        Optional<ClusterLock.Held> lock = Optional.empty();
        try {
            lock = session.tryLocks(TENANT_DUMP, key(tenant), ROUND_TENANT, key(tenant));
        } finally {
            if (lock.isEmpty()) {
                synchronized (running) {
                    inRound.remove(tenant);
                }
            }
        }
        return lock.map(held -> new Pass(tenant, held, inRound));
    }

    private void leave(String tenant) {
        synchronized (running) {
            running.remove(tenant);
        }
    }

    // Four bytes of the id's SHA-256: two tenants sharing one lock only makes one wait for the other.
    static int key(String tenant) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tenant.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getInt();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A tenant dump let in; closing it lets the next one in. */
    final class Pass implements AutoCloseable {

        private final String tenant;
        private final ClusterLock.Held lock;
        private final Set<String> among;

        private Pass(String tenant, ClusterLock.Held lock, Set<String> among) {
            this.tenant = tenant;
            this.lock = lock;
            this.among = among;
        }

        @Override
        public void close() {
            try {
                lock.close();
            } finally {
                synchronized (running) {
                    among.remove(tenant);
                }
            }
        }
    }
}
