package dev.databasedump.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.databasedump.jobs.DumpJob;
import dev.databasedump.jobs.DumpJobs;
import dev.databasedump.settings.RetentionSettings;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the API shows besides the dumps themselves, for a page (the console) to draw without guessing: who the caller
 * is and may do ({@link #me}), the jobs of this process, running or recent, and whether a dump runs on another replica
 * ({@link #jobs}), and the schedule's state ({@link #schedule}). Read-only; a tenant admin sees their own jobs only,
 * and the schedule is the platform's.
 */
public final class ApiViews {

    private final DumpJobs jobs;
    private final StoredDumps dumps;
    private final Optional<Supplier<Instant>> nextScheduledRun;
    private final Optional<Duration> schedulePeriod;
    private final RetentionSettings retention;
    private final boolean tenantDumps;
    private final boolean restoreEnabled;
    private final String restoreDatabase;
    private final Supplier<Boolean> dumpRunningAnywhere;
    private final Optional<Supplier<String>> tenantRound;
    private final Clock clock;

    /**
     * @param nextScheduledRun    when the next scheduled dump is due; empty without a schedule
     * @param restoreDatabase     the name of the database restores go into; null when not known
     * @param dumpRunningAnywhere whether any replica holds the database's dump lock now
     * @param tenantRound         where this replica's current (or last) round of tenant dumps stands, as JSON; empty
     *                            without rounds
     */
    public ApiViews(DumpJobs jobs, StoredDumps dumps, Optional<Supplier<Instant>> nextScheduledRun,
            Optional<Duration> schedulePeriod, RetentionSettings retention, boolean tenantDumps, boolean restoreEnabled,
            String restoreDatabase, Supplier<Boolean> dumpRunningAnywhere, Optional<Supplier<String>> tenantRound,
            Clock clock) {
        this.tenantRound = tenantRound;
        this.jobs = jobs;
        this.dumps = dumps;
        this.nextScheduledRun = nextScheduledRun;
        this.schedulePeriod = schedulePeriod;
        this.retention = retention;
        this.tenantDumps = tenantDumps;
        this.restoreEnabled = restoreEnabled;
        this.restoreDatabase = restoreDatabase;
        this.dumpRunningAnywhere = dumpRunningAnywhere;
        this.clock = clock;
    }

    /**
     * Where the round of tenant dumps stands on this replica (see {@link dev.databasedump.rounds.RoundReport}).
     *
     * @throws ApiException 404 when rounds are off
     */
    public String tenantRound() {
        return tenantRound.orElseThrow(() -> new ApiException(404, "tenant_rounds_off", "rounds of tenant dumps are"
                + " off: set dump.tenant.schedule.enabled=true", java.util.Map.of())).get();
    }

    /** The caller, and what the API lets them do. */
    public Me me(AdminPrincipal admin) {
        boolean platform = admin.platformAdmin();
        return new Me(admin.subject(), admin.email(), platform ? "admin" : "tenant_admin", admin.tenant(),
                platform && tenantDumps, platform && restoreEnabled, platform && restoreEnabled ? restoreDatabase
                        : null, platform && nextScheduledRun.isPresent());
    }

    /**
     * The jobs this process knows, newest first (a tenant admin's own only), and whether a full dump runs on another
     * replica: one that holds the database's dump lock while no full dump runs here.
     */
    public Jobs jobs(AdminPrincipal admin) {
        List<DumpJob.View> views = jobs.recent().stream().filter(job -> admin.platformAdmin()
                || admin.tenant().equals(job.tenant()) && job.askedBy(admin.subject())).map(DumpJob::view).toList();
        boolean runningHere = jobs.recent().stream().anyMatch(job -> job.state() == DumpJob.State.running
                && job.tenant() == null && job.kind().equals("dump"));
        Boolean elsewhere = admin.platformAdmin() ? !runningHere && dumpRunningAnywhere.get() : null;
        return new Jobs(views, elsewhere);
    }

    /** The schedule of full dumps: whether there is one, its next run and period, the last dump stored, retention. */
    public Schedule schedule() {
        String lastStored = dumps.list(dumps.space(null)).stream().findFirst()
                .map(StoredDumps.Entry::exportedAt).orElse(null);
        return new Schedule(nextScheduledRun.isPresent(), schedulePeriod.map(ApiViews::words).orElse(null),
                nextScheduledRun.map(next -> next.get().toString()).orElse(null), lastStored,
                retention.keepLast().orElse(null), retention.maxAge().map(ApiViews::words).orElse(null),
                clock.instant().toString());
    }

    // 24h, 30m, 7d: as the settings are written.
    private static String words(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /**
     * {@code GET /api/database-dump/me}.
     *
     * @param role            {@code admin} or {@code tenant_admin}
     * @param tenant          a tenant admin's tenant
     * @param tenantDumps     whether the caller may dump any tenant (a platform admin, with tenant dumps on)
     * @param restore         whether the caller may restore (a platform admin, with dump.restore.http-enabled)
     * @param restoreDatabase the database restores go into, which a restore asks to be typed to confirm it
     * @param schedule        whether dumps are scheduled (shown to platform admins)
     */
    @JsonPropertyOrder({"subject", "email", "role", "tenant", "tenant_dumps", "restore", "restore_database",
            "schedule"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Me(@JsonProperty("subject") String subject, @JsonProperty("email") String email,
            @JsonProperty("role") String role, @JsonProperty("tenant") String tenant,
            @JsonProperty("tenant_dumps") boolean tenantDumps, @JsonProperty("restore") boolean restore,
            @JsonProperty("restore_database") String restoreDatabase, @JsonProperty("schedule") boolean schedule) {
    }

    /** {@code GET /api/database-dump/jobs}: {@code running_elsewhere} for platform admins only. */
    @JsonPropertyOrder({"jobs", "running_elsewhere"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Jobs(@JsonProperty("jobs") List<DumpJob.View> jobs,
            @JsonProperty("running_elsewhere") Boolean runningElsewhere) {
    }

    /** {@code GET /api/database-dump/schedule}. */
    @JsonPropertyOrder({"enabled", "period", "next_run", "last_stored", "keep_last", "max_age", "now"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Schedule(@JsonProperty("enabled") boolean enabled, @JsonProperty("period") String period,
            @JsonProperty("next_run") String nextRun, @JsonProperty("last_stored") String lastStored,
            @JsonProperty("keep_last") Integer keepLast, @JsonProperty("max_age") String maxAge,
            @JsonProperty("now") String now) {
    }
}
