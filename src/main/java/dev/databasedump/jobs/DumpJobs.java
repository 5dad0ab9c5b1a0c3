package dev.databasedump.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.DaemonThreads;
import dev.databasedump.metrics.RunMetrics;
import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.settings.TenantImportSettings;
import dev.databasedump.settings.TenantSettings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * Runs dumps for every trigger of the application (run-once, the HTTP API, the schedule). Full dumps one at a time in
 * this process and, through the {@link ClusterLock} each dump holds while it runs, across every replica using the same
 * database; a tenant's dump apart from them (see {@link TenantGate}). A trigger that meets a running dump is refused
 * ({@link DumpBusyException}), never queued. Keeps the most recent jobs for status queries; {@link JobExecution}
 * writes the audit log (who, tenant, result, key).
 */
public final class DumpJobs implements AutoCloseable {

    private static final int KEPT_JOBS = 100;
    /** The verify and restore routes the application makes beside the dump's (DumpConfiguration). */
    static final String VERIFY_ENTRY = "direct:database-verify";
    static final String RESTORE_ENTRY = "direct:database-restore";

    private final CamelContext context;
    private final String entry;
    private final Semaphore oneAtATime = new Semaphore(1);
    private final ClusterLock clusterLock;
    private final TenantGate tenants;
    private final String runOnceTenant;
    private final Supplier<RunMetrics> metrics;
    private final JobExecution execution;
    private final ExecutorService background = DaemonThreads.singleWorker("database-dump-job");
    private final ExecutorService tenantWorkers;
    private final Map<String, DumpJob> jobs = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DumpJob> eldest) {
            return size() > KEPT_JOBS;
        }
    });
    /** What each running job holds: the cluster lock of a full dump, a tenant dump's pass. */
    private final Map<DumpJob, AutoCloseable> held = new ConcurrentHashMap<>();
    private final RoundDumps rounds;
    private ProducerTemplate template;

    /**
     * @param tenantSettings how many tenant dumps may run at once
     * @param runOnceTenant  the tenant a run-once dump is of ({@code dump.tenant}); null for a full dump
     */
    public DumpJobs(CamelContext context, String entry, ClusterLock clusterLock, Supplier<RunMetrics> metrics,
            ObjectMapper json, TenantSettings tenantSettings, String runOnceTenant) {
        this.context = context;
        this.clusterLock = clusterLock;
        this.metrics = metrics;
        this.entry = entry;
        this.tenants = new TenantGate(clusterLock, tenantSettings.maxConcurrent());
        this.tenantWorkers = DaemonThreads.pool("database-dump-tenant-job", tenantSettings.maxConcurrent());
        this.runOnceTenant = runOnceTenant;
        this.execution = new JobExecution(this::template, json);
        this.rounds = new RoundDumps(tenants, clusterLock, this::template, entry, json);
    }

    /** The tenant dumps of rounds, behind the same per-tenant gate as every tenant dump. */
    public RoundDumps rounds() {
        return rounds;
    }

    /** Runs a full dump now and returns its finished job; refused if one is running. */
    public DumpJob runNow(Requester requester) {
        return runNow(requester, null);
    }

    /** Runs a dump now, of {@code tenant} (null: a full dump), and returns its finished job; refused if one runs. */
    public DumpJob runNow(Requester requester, String tenant) {
        DumpJob job = tenant == null ? claim(requester, "dump") : claimTenant(requester, tenant);
        try {
            execution.run(job, entry, null);
        } finally {
            release(job);
        }
        return job;
    }

    /**
     * The run-once trigger's dump (of {@code dump.tenant} when set): its summary, or its failure as an exception;
     * refused with {@link DumpBusyException} if a dump of this database (or tenant) is running anywhere.
     */
    public String runOnce() {
        DumpJob job = runNow(Requester.RUN_ONCE, runOnceTenant);
        if (job.state() == DumpJob.State.failed) {
            throw job.failure() instanceof DumpFailedException failed ? failed
                    : new DumpFailedException(job.error(), null);
        }
        return job.summary().toString();
    }

    /** Starts a full dump in the background and returns its job at once; refused if one is running. */
    public DumpJob start(Requester requester) {
        return start(requester, null);
    }

    /** Starts a dump of {@code tenant} (null: a full dump) in the background and returns its job at once. */
    public DumpJob start(Requester requester, String tenant) {
        if (tenant == null) {
            return inBackground(background, claim(requester, "dump"), entry, null);
        }
        return inBackground(tenantWorkers, claimTenant(requester, tenant), entry, null);
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
        return Optional.of(inBackground(background, job, entry, null));
    }

    /**
     * Starts a restore of {@code key} (or latest) in the background and returns its job at once; refused while a dump
     * or a restore runs here. The restore itself keeps other replicas' restores out of its target.
     */
    public DumpJob startRestore(Requester requester, String key) {
        return startRestore(requester, key, null);
    }

    /** As {@link #startRestore(Requester, String)}, taking one tenant's data as {@code importing} says. */
    public DumpJob startRestore(Requester requester, String key, TenantImportSettings importing) {
        DumpJob job = claim(requester, "restore");
        job.importing(importing);
        return inBackground(background, job, RESTORE_ENTRY, key);
    }

    /** Verifies a stored dump and returns the report JSON; not gated, since it only reads the store. */
    public String verify(String key) {
        return template().requestBody(VERIFY_ENTRY, key, String.class);
    }

    public Optional<DumpJob> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** The jobs kept (the last {@value #KEPT_JOBS}), newest first. */
    public List<DumpJob> recent() {
        synchronized (jobs) {
            List<DumpJob> recent = new ArrayList<>(jobs.values());
            Collections.reverse(recent);
            return recent;
        }
    }

    private DumpJob inBackground(ExecutorService workers, DumpJob job, String endpoint, String key) {
        try {
            workers.execute(() -> {
                try {
                    execution.run(job, endpoint, key);
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

    // A dump also takes the database's cluster lock, so no replica dumps it at once.
    private DumpJob claim(Requester requester, String kind) {
        if (!oneAtATime.tryAcquire()) {
            refused(kind, requester, null, "busy");
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
            refused(kind, requester, null, "busy-elsewhere");
            throw DumpBusyException.elsewhere(ClusterLock.DUMP, 0);
        }
        DumpJob job = new DumpJob(kind, UUID.randomUUID().toString(), requester, Instant.now(), null);
        held.put(job, () -> {
            try {
                clusterLocked.ifPresent(ClusterLock.Held::close);
            } finally {
                oneAtATime.release();
            }
        });
        return registered(job);
    }

    private DumpJob claimTenant(Requester requester, String tenant) {
        TenantGate.Pass pass;
        try {
            pass = tenants.enter(tenant);
        } catch (DumpBusyException | TooManyTenantDumpsException e) {
            refused("dump", requester, tenant, e instanceof DumpBusyException ? "busy" : "too-many");
            throw e;
        }
        DumpJob job = new DumpJob("dump", UUID.randomUUID().toString(), requester, Instant.now(), tenant);
        held.put(job, pass);
        return registered(job);
    }

    private DumpJob registered(DumpJob job) {
        jobs.put(job.id(), job);
        JobExecution.AUDIT.info("{} triggered: {} job={}", job.kind(), JobExecution.who(job.requester(), job.tenant()),
                job.id());
        return job;
    }

    private void refused(String kind, Requester requester, String tenant, String result) {
        JobExecution.AUDIT.info("{} refused: {} result={}", kind, JobExecution.who(requester, tenant), result);
        metrics.get().refused(kind, requester.trigger());
    }

    private void release(DumpJob job) {
        AutoCloseable holding = held.remove(job);
        if (holding != null) {
            try {
                holding.close();
            } catch (Exception e) {
                throw new IllegalStateException("releasing job " + job.id() + " failed: " + e.getMessage(), e);
            }
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
        tenantWorkers.shutdownNow();
    }
}
