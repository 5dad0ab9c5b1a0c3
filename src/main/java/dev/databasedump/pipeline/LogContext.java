package dev.databasedump.pipeline;

import org.slf4j.MDC;

/**
 * The job id and the dump's key in the logging context (MDC) of a thread working on a run, so every line it logs says
 * which run it is about: {@code dump.log.format=json} gives them their own fields, {@code job_id} and
 * {@code dump_key}. Whoever puts a value removes it when the thread's work on the run ends.
 */
public final class LogContext implements AutoCloseable {

    public static final String JOB_ID = "job.id";
    public static final String DUMP_KEY = "dump.key";

    private final String previousJob;
    private final String previousKey;

    private LogContext(String jobId, String dumpKey) {
        this.previousJob = MDC.get(JOB_ID);
        this.previousKey = MDC.get(DUMP_KEY);
        put(JOB_ID, jobId);
        put(DUMP_KEY, dumpKey);
    }

    /** On a worker thread, for one task of a run: the run's job id and key, until closed. */
    public static LogContext enter(String jobId, String dumpKey) {
        return new LogContext(jobId, dumpKey);
    }

    /** The job id this thread works for, if a trigger set one. */
    public static String jobId() {
        return MDC.get(JOB_ID);
    }

    /** On the route's thread: the key of the dump the run is about, from now until {@link #forgetKey}. */
    public static void key(String dumpKey) {
        put(DUMP_KEY, dumpKey);
    }

    /** The key this thread's run is about, once known; else null. */
    public static String key() {
        return MDC.get(DUMP_KEY);
    }

    public static void forgetKey() {
        MDC.remove(DUMP_KEY);
    }

    @Override
    public void close() {
        restore(JOB_ID, previousJob);
        restore(DUMP_KEY, previousKey);
    }

    private static void put(String name, String value) {
        if (value != null) {
            MDC.put(name, value);
        }
    }

    private static void restore(String name, String previous) {
        if (previous == null) {
            MDC.remove(name);
        } else {
            MDC.put(name, previous);
        }
    }
}
