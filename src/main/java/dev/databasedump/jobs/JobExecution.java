package dev.databasedump.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.pipeline.AskedTenant;
import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.pipeline.DumpProgress;
import dev.databasedump.pipeline.LogContext;
import dev.databasedump.restore.RestorePipeline;

import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job through its route (the dump's, or the restore's) and records how it ended, in the job and in the audit
 * log: who asked, which tenant, the result and the key or the error. Its log lines carry the job's id.
 */
final class JobExecution {

    static final Logger AUDIT = LoggerFactory.getLogger("dev.databasedump.audit");
    private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);

    private final Supplier<ProducerTemplate> template;
    private final ObjectMapper json;

    JobExecution(Supplier<ProducerTemplate> template, ObjectMapper json) {
        this.template = template;
        this.json = json;
    }

    /** The subject, email and tenant of an audit line. */
    static String who(Requester requester, String tenant) {
        return "subject=" + requester.subject() + " email=" + requester.email()
                + (tenant == null ? "" : " tenant=" + tenant);
    }

    /** The one line a run's failure is reported with: the route's own, or, for anything else, only its kind. */
    static String failureLine(String kind, Exception failure) {
        return failure instanceof DumpFailedException ? failure.getMessage()
                : "the " + kind + " failed unexpectedly: " + failure.getClass().getSimpleName();
    }

    void run(DumpJob job, String endpoint, String key) {
        try (LogContext logged = LogContext.enter(job.id(), null)) {
            send(job, endpoint, key);
        }
    }

    private void send(DumpJob job, String endpoint, String key) {
        Exchange done = template.get().send(endpoint, exchange -> {
            exchange.getMessage().setBody(key);
            exchange.setProperty(DumpProgress.PROPERTY, job.progress());
            exchange.setProperty(DumpPipeline.TRIGGERED_BY, job.requester().subject());
            exchange.setProperty(DumpPipeline.TRIGGER, job.requester().trigger());
            exchange.setProperty(AskedTenant.PROPERTY, job.tenant());
            exchange.setProperty(RestorePipeline.IMPORT, job.importing());
        });
        String who = who(job.requester(), job.tenant());
        if (done.getException() != null) {
            Exception failure = done.getException();
            String message = failureLine(job.kind(), failure);
            job.failed(message, failure);
            AUDIT.info("{} finished: {} job={} result=failed error={}", job.kind(), who, job.id(), message);
            return;
        }
        try {
            JsonNode summary = json.readTree(done.getMessage().getBody(String.class));
            job.succeeded(summary);
            AUDIT.info("{} finished: {} job={} result=succeeded key={}", job.kind(), who, job.id(),
                    summary.path("key").asText());
        } catch (Exception e) {
            job.failed("the dump's summary could not be read", e);
            LOG.warn("Unreadable summary of job {}: {}", job.id(), e.getMessage());
        }
    }
}
