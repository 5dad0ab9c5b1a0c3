package dev.databasedump.jobs;

/**
 * A dump (or a restore) is already running, here or, for a dump, on another replica; triggers are refused, never
 * queued. Its message says which, and for another replica how to find the session that holds the lock.
 */
public class DumpBusyException extends RuntimeException {

    private final boolean elsewhere;

    private DumpBusyException(String message, boolean elsewhere) {
        super(message);
        this.elsewhere = elsewhere;
    }

    /** A dump or a restore runs in this process. */
    static DumpBusyException here() {
        return new DumpBusyException("another dump or restore is running; try again when it has finished", false);
    }

    /** A process elsewhere (another replica, a CronJob's run) holds the database's dump lock {@code (namespace, key)}. */
    static DumpBusyException elsewhere(int namespace, int key) {
        return new DumpBusyException("another dump of this database is running (its session holds the advisory lock "
                + Integer.toUnsignedLong(namespace) + "/" + Integer.toUnsignedLong(key) + "; to find it: "
                + ClusterLock.holderQuery(namespace, key) + ")", true);
    }

    /** Another run-once round of tenant dumps holds the lock {@code (namespace, 0)}. */
    public static DumpBusyException round(int namespace) {
        return new DumpBusyException("another run-once round of tenant dumps of this database is running (its session"
                + " holds the advisory lock " + Integer.toUnsignedLong(namespace) + "/0; to find it: "
                + ClusterLock.holderQuery(namespace, 0) + ")", true);
    }

    /** A dump of {@code tenant} runs in this process. */
    static DumpBusyException tenant(String tenant) {
        return new DumpBusyException("a dump of tenant " + tenant + " is running; try again when it has finished",
                false);
    }

    /** A process elsewhere holds the lock of {@code tenant}'s dumps. */
    static DumpBusyException tenantElsewhere(String tenant, int namespace, int key) {
        return new DumpBusyException("a dump of tenant " + tenant + " is running elsewhere (its session holds the"
                + " advisory lock " + Integer.toUnsignedLong(namespace) + "/" + Integer.toUnsignedLong(key)
                + "; to find it: " + ClusterLock.holderQuery(namespace, key) + ")", true);
    }

    /** Whether the run that holds the lock is another process's. */
    public boolean elsewhere() {
        return elsewhere;
    }
}
