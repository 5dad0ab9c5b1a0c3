package dev.databasedump.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.pipeline.AskedTenant;
import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.pipeline.DumpProgress;
import dev.databasedump.pipeline.LogContext;
import dev.databasedump.scope.RoundSnapshots;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * The tenant dumps of a round, each through the dump route like any other, behind the same per-tenant gate: one dump
 * of a tenant at a time on every replica, and a tenant already dumped this period (asked while holding its lock, so no
 * replica can be storing one meanwhile) skipped. Not jobs: a round of ten thousand tenants would push every other job
 * out of the list; the round keeps its own account.
 */
public final class RoundDumps {

    /** The trigger label of a round's dumps in the metrics, and who the metadata says triggered them. */
    public static final String TRIGGER = "tenant-round";

    private final TenantGate gate;
    private final ClusterLock clusterLock;
    private final Supplier<ProducerTemplate> template;
    private final String entry;
    private final ObjectMapper json;

    RoundDumps(TenantGate gate, ClusterLock clusterLock, Supplier<ProducerTemplate> template, String entry,
            ObjectMapper json) {
        this.gate = gate;
        this.clusterLock = clusterLock;
        this.template = template;
        this.entry = entry;
        this.json = json;
    }

    /** How a tenant's turn in the round ended. */
    public enum Outcome {
        /** Dumped and stored now. */
        DUMPED,
        /** Dumped already this period (by any replica, the round or a request). */
        SKIPPED,
        /** A dump of the tenant runs elsewhere now: look again later. */
        BUSY,
        FAILED
    }

    /**
     * @param key   the stored dump's key (when dumped)
     * @param rows  its rows (when dumped)
     * @param error the failure's one line (when failed)
     */
    public record Result(Outcome outcome, String key, long rows, String error) {

        static Result of(Outcome outcome) {
            return new Result(outcome, null, 0, null);
        }
    }

    /** One of a round's workers: its own connection for the tenants' locks, one tenant at a time. */
    public Worker worker() {
        return new Worker(clusterLock.session());
    }

    /** Dumps tenants one after another, each under its lock; close it when the round is over. */
    public final class Worker implements AutoCloseable {

        private final ClusterLock.Session locks;

        private Worker(ClusterLock.Session locks) {
            this.locks = locks;
        }

        /**
         * Dumps {@code tenant} in {@code snapshot}, unless a dump of it runs now or {@code keysUnlessDone} (asked under
         * the tenant's lock) says it was dumped this period; else it gives the keys in the tenant's folder, among
         * which the dump takes a free one.
         *
         * @param roundId the round's id, which the dump's log lines carry
         */
        public Result dump(String tenant, RoundSnapshots snapshot, Function<String, Optional<Set<String>>> keysUnlessDone,
                String roundId) {
            Optional<TenantGate.Pass> pass = gate.enterRound(tenant, locks);
            if (pass.isEmpty()) {
                return Result.of(Outcome.BUSY);
            }
            try (TenantGate.Pass held = pass.get(); LogContext logged = LogContext.enter(roundId, null)) {
                Optional<Set<String>> keys = keysUnlessDone.apply(tenant);
                if (keys.isEmpty()) {
                    return Result.of(Outcome.SKIPPED);
                }
                return send(tenant, snapshot, keys.get());
            }
        }

        private Result send(String tenant, RoundSnapshots snapshot, Set<String> keys) {
            Exchange done = template.get().send(entry, exchange -> {
                exchange.setProperty(DumpProgress.PROPERTY, new DumpProgress());
                exchange.setProperty(DumpPipeline.TRIGGERED_BY, TRIGGER);
                exchange.setProperty(DumpPipeline.TRIGGER, TRIGGER);
                exchange.setProperty(AskedTenant.PROPERTY, tenant);
                exchange.setProperty(DumpPipeline.ROUND, snapshot);
                exchange.setProperty(DumpPipeline.ROUND_KEYS, keys);
            });
            if (done.getException() != null) {
                return new Result(Outcome.FAILED, null, 0, JobExecution.failureLine("dump", done.getException()));
            }
            try {
                JsonNode summary = json.readTree(done.getMessage().getBody(String.class));
                return new Result(Outcome.DUMPED, summary.path("key").asText(),
                        summary.path("metadata").path("total_rows").asLong(), null);
            } catch (Exception e) {
                return new Result(Outcome.FAILED, null, 0, "the dump's summary could not be read");
            }
        }

        @Override
        public void close() {
            locks.close();
        }
    }
}
