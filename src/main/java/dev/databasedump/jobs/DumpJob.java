package dev.databasedump.jobs;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.pipeline.DumpProgress;

import java.time.Instant;

/** One dump (or restore) asked for by a trigger, from start to its summary or error. */
public final class DumpJob {

    public enum State { running, succeeded, failed }

    /** What the job does: "dump" or "restore". */
    private final String kind;
    private final String id;
    private final Requester requester;
    private final Instant startedAt;
    /** The tenant whose data the dump holds; null for a full dump or a restore. */
    private final String tenant;
    private final DumpProgress progress = new DumpProgress();
    private volatile State state = State.running;
    private volatile Instant finishedAt;
    private volatile JsonNode summary;
    private volatile String error;
    /** How the job failed, for a trigger that answers some failures its own way (a tenant refused: 400, exit 2). */
    private volatile Exception failure;
    /** How a restore job takes one tenant's data, when its request said; null for the settings'. */
    private volatile dev.databasedump.settings.TenantImportSettings importing;

    DumpJob(String kind, String id, Requester requester, Instant startedAt, String tenant) {
        this.kind = kind;
        this.id = id;
        this.requester = requester;
        this.startedAt = startedAt;
        this.tenant = tenant;
    }

    public String id() {
        return id;
    }

    Requester requester() {
        return requester;
    }

    void importing(dev.databasedump.settings.TenantImportSettings importing) {
        this.importing = importing;
    }

    dev.databasedump.settings.TenantImportSettings importing() {
        return importing;
    }

    /** Whose data the job's dump holds; null for a full dump or a restore. */
    public String tenant() {
        return tenant;
    }

    /** Whether {@code subject} asked for this job. */
    public boolean askedBy(String subject) {
        return requester.subject().equals(subject);
    }

    DumpProgress progress() {
        return progress;
    }

    public String kind() {
        return kind;
    }

    public State state() {
        return state;
    }

    public JsonNode summary() {
        return summary;
    }

    public String error() {
        return error;
    }

    void succeeded(JsonNode summary) {
        this.summary = summary;
        this.finishedAt = Instant.now();
        this.state = State.succeeded;
    }

    /** How the job failed; null unless it did. */
    public Exception failure() {
        return failure;
    }

    void failed(String error, Exception failure) {
        this.error = error;
        this.failure = failure;
        this.finishedAt = Instant.now();
        this.state = State.failed;
    }

    /** What {@code GET /api/database-dump/jobs/{id}} answers. */
    public View view() {
        return new View(id, kind, tenant, state.name(), startedAt.toString(),
                finishedAt == null ? null : finishedAt.toString(), requester.subject(), new Progress(
                        progress.tablesDone(), progress.tablesTotal(), progress.rowsDone(), progress.bytesDone()),
                summary, error);
    }

    @JsonPropertyOrder({"id", "kind", "tenant", "state", "started_at", "finished_at", "triggered_by", "progress",
            "summary", "error"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record View(@JsonProperty("id") String id, @JsonProperty("kind") String kind,
            @JsonProperty("tenant") String tenant, @JsonProperty("state") String state,
            @JsonProperty("started_at") String startedAt, @JsonProperty("finished_at") String finishedAt,
            @JsonProperty("triggered_by") String triggeredBy, @JsonProperty("progress") Progress progress,
            @JsonProperty("summary") JsonNode summary, @JsonProperty("error") String error) {
    }

    /** How far a job has got; {@code bytesDone}: the document written so far (a dump's, stored as it is). */
    public record Progress(@JsonProperty("tables_done") int tablesDone, @JsonProperty("tables_total") int tablesTotal,
            @JsonProperty("rows_done") long rowsDone, @JsonProperty("bytes_done") long bytesDone) {
    }
}
