package dev.databasedump.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.DaemonThreads;
import dev.databasedump.metrics.RunMetrics;
import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.pipeline.DumpProgress;
import dev.databasedump.pipeline.LogContext;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs dumps for every trigger of the application (run-once, the HTTP API, the schedule), one at a time in this
 * process and, through the {@link ClusterLock} each dump holds while it runs, across every replica using the same
 * database: a trigger that meets a running dump is refused
 * ({@link DumpBusyException}), never queued. Keeps the most recent jobs for status queries and writes the audit log
 * (who, result, key).
 */
public final class DumpJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DumpJobs.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("dev.databasedump.audit");
    private static final int KEPT_JOBS = 100;
    /** The verify and restore routes the application makes beside the dump's (DumpConfiguration). */
    static final String VERIFY_ENTRY = "direct:database-verify";
    static final String RESTORE_ENTRY = "direct:database-restore";

    private final CamelContext context;
    private final String entry;
    private final ObjectMapper json;
    private final Semaphore oneAtATime = new Semaphore(1);
    private final ClusterLock clusterLock;
    private final Supplier<RunMetrics> metrics;
    private final ExecutorService background = DaemonThreads.singleWorker("database-dump-job");
    private final Map<String, DumpJob> jobs = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DumpJob> eldest) {
            return size() > KEPT_JOBS;
        }
    });
    /** The cluster lock each running dump holds. */
    private final Map<DumpJob, ClusterLock.Held> held = new ConcurrentHashMap<>();
    private ProducerTemplate template;

    public DumpJobs(CamelContext context, String entry, ClusterLock clusterLock, Supplier<RunMetrics> metrics,
            ObjectMapper json) {
        this.context = context;
        this.clusterLock = clusterLock;
        this.metrics = metrics;
        this.entry = entry;
        this.json = json;
    }

    /** Runs a dump now and returns its finished job; refused if one is running. */
    public DumpJob runNow(Requester requester) {
        DumpJob job = claim(requester, "dump");
        try {
            execute(job, entry, null);
        } finally {
            release(job);
        }
        return job;
    }

    /**
     * The run-once trigger's dump: its summary, or its failure as an exception; refused with
     * {@link DumpBusyException} if a dump of this database is running anywhere.
     */
    public String runOnce() {
        DumpJob job = runNow(Requester.RUN_ONCE);
        if (job.state() == DumpJob.State.failed) {
            throw new DumpFailedException(job.error(), null);
        }
        return job.summary().toString();
    }

    /** Starts a dump in the background and returns its job at once; refused if one is running. */
    public DumpJob start(Requester requester) {
        return inBackground(claim(requester, "dump"), entry, null);
    }

    /**
     * As {@link #start}, unless {@code alreadyDone} says, asked while this process holds the database's dump lock (so
     * no replica can be storing one meanwhile), that the dump is not needed: then nothing runs and the result is empty.
     */
    public Optional<DumpJob> startUnless(Requester requester, BooleanSupplier alreadyDone) {
        DumpJob job = claim(requester, "dump");
        boolean done;
        try {
            done = alreadyDone.getAsBoolean();
        } catch (RuntimeException e) {
            release(job);
            throw e;
        }
        if (done) {
            jobs.remove(job.id());
            release(job);
            return Optional.empty();
        }
        return Optional.of(inBackground(job, entry, null));
    }

    /**
     * Starts a restore of {@code key} (or latest) in the background and returns its job at once; refused while a dump
     * or a restore runs here. The restore itself keeps other replicas' restores out of its target.
     */
    public DumpJob startRestore(Requester requester, String key) {
        return inBackground(claim(requester, "restore"), RESTORE_ENTRY, key);
    }

    /** Verifies a stored dump and returns the report JSON; not gated, since it only reads the store. */
    public String verify(String key) {
        return template().requestBody(VERIFY_ENTRY, key, String.class);
    }

    private DumpJob inBackground(DumpJob job, String endpoint, String key) {
        try {
            background.execute(() -> {
                try {
                    execute(job, endpoint, key);
                } finally {
                    release(job);
                }
            });
        } catch (RuntimeException e) {
            release(job);
            throw e;
        }
        return job;
    }

    public Optional<DumpJob> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    // A dump also takes the database's cluster lock, so no replica dumps it at once.
    private DumpJob claim(Requester requester, String kind) {
        if (!oneAtATime.tryAcquire()) {
            AUDIT.info("{} refused: subject={} email={} result=busy", kind, requester.subject(), requester.email());
            metrics.get().refused(kind, requester.trigger());
            throw DumpBusyException.here();
        }
        Optional<ClusterLock.Held> clusterLocked;
        try {
            // A restore locks its own target instead, in its transaction.
            clusterLocked = kind.equals("dump") ? clusterLock.tryLock(ClusterLock.DUMP, 0) : Optional.empty();
        } catch (RuntimeException e) {
            oneAtATime.release();
            throw e;
        }
        if (kind.equals("dump") && clusterLocked.isEmpty()) {
            oneAtATime.release();
            AUDIT.info("{} refused: subject={} email={} result=busy-elsewhere", kind, requester.subject(),
                    requester.email());
            metrics.get().refused(kind, requester.trigger());
            throw DumpBusyException.elsewhere(ClusterLock.DUMP, 0);
        }
        DumpJob job = new DumpJob(kind, UUID.randomUUID().toString(), requester, Instant.now());
        clusterLocked.ifPresent(lock -> held.put(job, lock));
        jobs.put(job.id(), job);
        AUDIT.info("{} triggered: subject={} email={} job={}", kind, requester.subject(), requester.email(), job.id());
        return job;
    }

    private void execute(DumpJob job, String endpoint, String key) {
        try (LogContext logged = LogContext.enter(job.id(), null)) {
            run(job, endpoint, key);
        }
    }

    private void run(DumpJob job, String endpoint, String key) {
        Exchange done = template().send(endpoint, exchange -> {
            exchange.getMessage().setBody(key);
            exchange.setProperty(DumpProgress.PROPERTY, job.progress());
            exchange.setProperty(DumpPipeline.TRIGGERED_BY, job.requester().subject());
            exchange.setProperty(DumpPipeline.TRIGGER, job.requester().trigger());
        });
        if (done.getException() != null) {
            Exception failure = done.getException();
            String message = failure instanceof DumpFailedException ? failure.getMessage()
                    : "the " + job.kind() + " failed unexpectedly: " + failure.getClass().getSimpleName();
            job.failed(message);
            AUDIT.info("{} finished: subject={} email={} job={} result=failed error={}", job.kind(),
                    job.requester().subject(), job.requester().email(), job.id(), message);
            return;
        }
        try {
            JsonNode summary = json.readTree(done.getMessage().getBody(String.class));
            job.succeeded(summary);
            AUDIT.info("{} finished: subject={} email={} job={} result=succeeded key={}", job.kind(),
                    job.requester().subject(), job.requester().email(), job.id(), summary.path("key").asText());
        } catch (Exception e) {
            job.failed("the dump's summary could not be read");
            LOG.warn("Unreadable summary of job {}: {}", job.id(), e.getMessage());
        }
    }

    private void release(DumpJob job) {
        try {
            ClusterLock.Held lock = held.remove(job);
            if (lock != null) {
                lock.close();
            }
        } finally {
            oneAtATime.release();
        }
    }

    private synchronized ProducerTemplate template() {
        if (template == null) {
            template = context.createProducerTemplate();
        }
        return template;
    }

    @Override
    public void close() {
        background.shutdownNow();
    }
}
