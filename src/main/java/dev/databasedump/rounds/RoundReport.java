package dev.databasedump.rounds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.time.Instant;
import java.util.List;

/**
 * Where a round stands, as this replica saw it: the API's {@code GET /api/database-dump/tenant-rounds/current}, the
 * round's webhook notice and its summary line. A tenant another replica dumped counts as skipped here.
 *
 * @param state      {@code running}, or {@code finished}; {@code failed} when the round could not list its tenants
 * @param tenants    tenants in the round's list
 * @param done       tenants this replica dumped
 * @param skipped    tenants dumped already this period (by another replica, a request, or earlier)
 * @param failed     tenants whose dump failed twice
 * @param waiting    tenants not settled yet (to do, busy elsewhere, or to be tried again)
 * @param unfinished at the end of a round cut short by the period's end: tenants busy elsewhere or not reached
 * @param dumping    tenants being dumped here now
 * @param failures   the first failures, by tenant
 * @param error      why the round failed as a whole (its list could not be read)
 */
@JsonPropertyOrder({"id", "state", "period_start", "period_end", "started_at", "ended_at", "tenants", "done",
        "skipped", "failed", "waiting", "unfinished", "dumping", "failures", "error"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RoundReport(
        @JsonProperty("id") String id,
        @JsonProperty("state") String state,
        @JsonProperty("period_start") @JsonSerialize(using = ToStringSerializer.class) Instant periodStart,
        @JsonProperty("period_end") @JsonSerialize(using = ToStringSerializer.class) Instant periodEnd,
        @JsonProperty("started_at") @JsonSerialize(using = ToStringSerializer.class) Instant startedAt,
        @JsonProperty("ended_at") @JsonSerialize(using = ToStringSerializer.class) Instant endedAt,
        @JsonProperty("tenants") int tenants,
        @JsonProperty("done") int done,
        @JsonProperty("skipped") int skipped,
        @JsonProperty("failed") int failed,
        @JsonProperty("waiting") int waiting,
        @JsonProperty("unfinished") int unfinished,
        @JsonProperty("dumping") List<String> dumping,
        @JsonProperty("failures") List<Failure> failures,
        @JsonProperty("error") String error) {

    /** A tenant's dump that failed, both times. */
    public record Failure(@JsonProperty("tenant") String tenant, @JsonProperty("error") String error) {
    }

    public boolean running() {
        return "running".equals(state);
    }

    /** Whether every tenant is settled and none failed. */
    public boolean ok() {
        return "finished".equals(state) && failed == 0 && unfinished == 0;
    }

    /** The one line a round ends with in the log. */
    public String line() {
        if (error != null) {
            return "Tenant round " + id + " failed: " + error;
        }
        StringBuilder line = new StringBuilder("Tenant round " + id + " of the period from " + periodStart + " "
                + state + ": " + tenants + " tenants, " + done + " dumped here, " + skipped + " dumped already, "
                + failed + " failed");
        if (unfinished > 0) {
            line.append(", ").append(unfinished).append(" unfinished at the period's end");
        }
        if (startedAt != null && endedAt != null) {
            line.append(", in ").append(java.time.Duration.between(startedAt, endedAt).toMillis()).append(" ms");
        }
        if (!failures.isEmpty()) {
            line.append("; first failures: ");
            for (int i = 0; i < Math.min(3, failures.size()); i++) {
                line.append(i == 0 ? "" : "; ").append(failures.get(i).tenant()).append(": ")
                        .append(failures.get(i).error());
            }
        }
        return line.toString();
    }
}
