package dev.databasedump.jobs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may start a tenant dump now: at most one dump of a tenant at a time, here and (through its own advisory lock,
 * apart from the full dump's) on every replica; and at most {@code dump.tenant.max-concurrent} tenant dumps at once in
 * this process. A tenant dump neither waits for nor blocks a full dump.
 */
final class TenantGate {

    /** First key of the lock a tenant's dump holds while it runs ("DUMT"); the second is the tenant's hash. */
    static final int TENANT_DUMP = 0x44554d54;

    private final ClusterLock clusterLock;
    private final int maxConcurrent;
    private final Set<String> running = new HashSet<>();

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
            lock = clusterLock.tryLock(TENANT_DUMP, key(tenant));
        } catch (RuntimeException e) {
            leave(tenant);
            throw e;
        }
        if (lock.isEmpty()) {
            leave(tenant);
            throw DumpBusyException.tenantElsewhere(tenant, TENANT_DUMP, key(tenant));
        }
        return new Pass(tenant, lock.get());
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

        private Pass(String tenant, ClusterLock.Held lock) {
            this.tenant = tenant;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.close();
            } finally {
                leave(tenant);
            }
        }
    }
}
