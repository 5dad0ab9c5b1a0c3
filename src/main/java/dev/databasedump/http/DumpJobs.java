package dev.databasedump.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.pipeline.DumpProgress;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs dumps for callers, one at a time in this process: a trigger that meets a running dump is refused (409), never
 * queued. Keeps the most recent jobs for status queries and writes the audit log (who, result, key).
 */
public final class DumpJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DumpJobs.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("dev.databasedump.audit");
    private static final int KEPT_JOBS = 100;

    private final CamelContext context;
    private final String entry;
    private final ObjectMapper json;
    private final Semaphore oneAtATime = new Semaphore(1);
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "database-dump-job");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, DumpJob> jobs = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DumpJob> eldest) {
            return size() > KEPT_JOBS;
        }
    });
    private ProducerTemplate template;

    public DumpJobs(CamelContext context, String entry, ObjectMapper json) {
        this.context = context;
        this.entry = entry;
        this.json = json;
    }

    /** Runs a dump now and returns its summary; 409 if one is running. */
    public DumpJob runNow(AdminPrincipal admin) {
        DumpJob job = claim(admin);
        try {
            execute(job);
        } finally {
            oneAtATime.release();
        }
        return job;
    }

    /** Starts a dump in the background and returns its job at once; 409 if one is running. */
    public DumpJob start(AdminPrincipal admin) {
        DumpJob job = claim(admin);
        try {
            background.execute(() -> {
                try {
                    execute(job);
                } finally {
                    oneAtATime.release();
                }
            });
        } catch (RuntimeException e) {
            oneAtATime.release();
            throw e;
        }
        return job;
    }

    public Optional<DumpJob> find(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    private DumpJob claim(AdminPrincipal admin) {
        if (!oneAtATime.tryAcquire()) {
            AUDIT.info("dump refused: subject={} email={} result=busy", admin.subject(), admin.email());
            throw ApiException.conflict("another dump is running; try again when it has finished");
        }
        DumpJob job = new DumpJob(UUID.randomUUID().toString(), admin, Instant.now());
        jobs.put(job.id(), job);
        AUDIT.info("dump triggered: subject={} email={} job={}", admin.subject(), admin.email(), job.id());
        return job;
    }

    private void execute(DumpJob job) {
        Exchange done = template().send(entry, exchange -> {
            exchange.setProperty(DumpProgress.PROPERTY, job.progress());
            exchange.setProperty(DumpPipeline.TRIGGERED_BY, job.admin().subject());
        });
        if (done.getException() != null) {
            Exception failure = done.getException();
            String message = failure instanceof DumpFailedException ? failure.getMessage()
                    : "the dump failed unexpectedly: " + failure.getClass().getSimpleName();
            job.failed(message);
            AUDIT.info("dump finished: subject={} email={} job={} result=failed error={}", job.admin().subject(),
                    job.admin().email(), job.id(), message);
            return;
        }
        try {
            JsonNode summary = json.readTree(done.getMessage().getBody(String.class));
            job.succeeded(summary);
            AUDIT.info("dump finished: subject={} email={} job={} result=succeeded key={}", job.admin().subject(),
                    job.admin().email(), job.id(), summary.path("key").asText());
        } catch (Exception e) {
            job.failed("the dump's summary could not be read");
            LOG.warn("Unreadable summary of job {}: {}", job.id(), e.getMessage());
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
