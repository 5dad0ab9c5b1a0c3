package dev.databasedump.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

import dev.databasedump.jobs.DumpBusyException;
import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.jobs.DumpJob;
import dev.databasedump.jobs.DumpJobs;
import dev.databasedump.jobs.Requester;
import dev.databasedump.jobs.TooManyTenantDumpsException;
import dev.databasedump.pipeline.TenantRefusedException;
import dev.databasedump.scope.TenantDirectory;
import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.settings.TenantImportSettings;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-dump-http} route, in route order: {@link #accept} the request at the door,
 * {@link #authenticate} it, {@link #route} it to an operation, answer it; {@link #error} renders any refusal. Platform
 * admins may do everything, for any tenant ({@code ?tenant=}); a tenant admin may dump, list and download their own
 * tenant's dumps and follow the jobs they started, nothing else, and is refused before anything is looked up, so a
 * refusal never says whether an object exists.
 */
public final class HttpApi {

    public static final String REQUEST = "databaseDumpHttpRequest";
    public static final String ADMIN = "databaseDumpHttpAdmin";
    public static final String OPERATION = "databaseDumpHttpOperation";
    /** Set when {@link #accept} already answered (a CORS preflight). */
    public static final String ANSWERED = "databaseDumpHttpAnswered";

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String JOBS = "/jobs/";
    private static final String TENANT_ROUND = "/tenant-rounds/current";
    /** When a client refused for too many tenant dumps at once should try again. */
    private static final int RETRY_AFTER_SECONDS = 30;

    private final HttpSettings settings;
    private final TokenVerifier tokens;
    private final AdminAuthorizer admins;
    private final DumpJobs jobs;
    private final StoredDumps dumps;
    private final boolean restoreEnabled;
    private final TenantImportSettings restoreTenants;
    private final RequestedTenant tenants;
    private final ApiViews views;
    private final ObjectMapper json;

    /**
     * @param restoreEnabled whether restores may be started here ({@code dump.restore.http-enabled})
     * @param restoreTenants how a restore takes one tenant's data, unless a request says otherwise
     * @param tenants        where a tenant asked for is checked and named as the database writes it; null when
     *                       tenant dumps are not configured ({@code dump.tenant.column})
     * @param views          what the API shows besides the dumps (the caller, the jobs, the schedule)
     */
    public HttpApi(HttpSettings settings, TokenVerifier tokens, AdminAuthorizer admins, DumpJobs jobs,
            StoredDumps dumps, boolean restoreEnabled, TenantImportSettings restoreTenants, TenantDirectory tenants,
            ApiViews views, ObjectMapper json) {
        this.settings = settings;
        this.tokens = tokens;
        this.admins = admins;
        this.jobs = jobs;
        this.dumps = dumps;
        this.restoreEnabled = restoreEnabled;
        this.restoreTenants = restoreTenants;
        this.tenants = new RequestedTenant(tenants);
        this.views = views;
        this.json = json;
    }

    /** Reads what the API needs, drops every request header, applies CORS; answers a preflight itself. */
    public void accept(Exchange exchange) {
        ApiRequest request = ApiRequest.of(exchange);
        exchange.setProperty(REQUEST, request);
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(null);
        boolean allowedOrigin = request.origin().filter(settings.corsOrigins()::contains).isPresent();
        if (allowedOrigin) {
            message.setHeader("Access-Control-Allow-Origin", request.origin().get());
            message.setHeader("Vary", "Origin");
        }
        if ("OPTIONS".equals(request.method())) {
            exchange.setProperty(ANSWERED, true);
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, allowedOrigin ? 204 : 403);
            if (allowedOrigin) {
                message.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
                message.setHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Prefer");
                message.setHeader("Access-Control-Expose-Headers", "Location");
                message.setHeader("Access-Control-Max-Age", "600");
            }
        }
    }

    public void authenticate(@ExchangeProperty(REQUEST) ApiRequest request, Exchange exchange) {
        exchange.setProperty(ADMIN, admins.authorize(tokens.verify(request)));
    }

    /** Names the operation for the route's choice; unknown paths are 404, known paths with another method 405. */
    public void route(@ExchangeProperty(REQUEST) ApiRequest request, Exchange exchange) {
        exchange.setProperty(OPERATION, operation(request));
    }

    private static String operation(ApiRequest request) {
        String path = request.subPath();
        String method = request.method();
        if (path.isEmpty()) {
            return switch (method) {
                case "POST" -> request.respondAsync() ? "start" : "run";
                case "GET", "HEAD" -> "list";
                default -> throw ApiException.methodNotAllowed("GET, POST, OPTIONS");
            };
        }
        if (path.equals("/me") || path.equals("/jobs") || path.equals("/schedule")
                || path.equals(TENANT_ROUND)) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw ApiException.methodNotAllowed("GET, OPTIONS");
            }
            return path.equals(TENANT_ROUND) ? "tenantRound" : path.substring(1);
        }
        if (path.equals("/verify") || path.equals("/restore")) {
            if (!method.equals("POST")) {
                throw ApiException.methodNotAllowed("POST, OPTIONS");
            }
            return path.substring(1);
        }
        if (path.equals("/download") || (path.startsWith(JOBS) && isJobId(path.substring(JOBS.length())))) {
            if (!method.equals("GET") && !method.equals("HEAD")) {
                throw ApiException.methodNotAllowed("GET, OPTIONS");
            }
            return path.equals("/download") ? "download" : "job";
        }
        throw ApiException.notFound();
    }

    /** Runs a dump (of {@code ?tenant=}, or a tenant admin's own tenant): 200 with the summary. */
    public String run(@ExchangeProperty(REQUEST) ApiRequest request, @ExchangeProperty(ADMIN) AdminPrincipal admin,
            Exchange exchange) throws JsonProcessingException {
        DumpJob job = jobs.runNow(Requester.admin(admin.subject(), admin.email()), tenants.toDump(request, admin));
        if (job.state() == DumpJob.State.failed) {
            if (job.failure() instanceof TenantRefusedException refused) {
                throw RequestedTenant.refusal(refused.getMessage(), refused.unknown());
            }
            return respond(exchange, 500, new ErrorBody("dump_failed", job.error()));
        }
        return respond(exchange, 200, job.summary());
    }

    public String start(@ExchangeProperty(REQUEST) ApiRequest request, @ExchangeProperty(ADMIN) AdminPrincipal admin,
            Exchange exchange) throws JsonProcessingException {
        DumpJob job = jobs.start(Requester.admin(admin.subject(), admin.email()), tenants.toDump(request, admin));
        exchange.getMessage().setHeader("Location", ApiRequest.BASE_PATH + JOBS + job.id());
        return respond(exchange, 202, job.view());
    }

    /** Verifies a stored dump (the {@code key} parameter, or latest): 200 with the report, whose ok is the verdict. */
    public String verify(@ExchangeProperty(REQUEST) ApiRequest request, @ExchangeProperty(ADMIN) AdminPrincipal admin,
            Exchange exchange) throws JsonProcessingException {
        platformOnly(admin);
        String key = dumps.existingDump(request.key().orElse("latest"), dumps.space(request.tenant().orElse(null)));
        return respond(exchange, 200, json.readTree(jobs.verify(key)));
    }

    /**
     * Starts a restore as a job (202 + Location), when dump.restore.http-enabled allows it; 409 while one runs. The
     * parameters {@code tenant}, {@code tenant-mode}, {@code shared-rows} and {@code dry-run} stand for the
     * {@code dump.restore.} settings of the same names, for this restore.
     */
    public String restore(@ExchangeProperty(REQUEST) ApiRequest request, @ExchangeProperty(ADMIN) AdminPrincipal admin,
            Exchange exchange) throws JsonProcessingException {
        platformOnly(admin);
        if (!restoreEnabled) {
            throw ApiException.forbidden("restore over HTTP is off: set dump.restore.http-enabled=true to allow it");
        }
        // One tenant's data: ?tenant= takes it out of a full dump; the rest say how it goes in.
        TenantImportSettings importing = restoreTenants.with(request.tenant().orElse(null),
                request.parameter("tenant-mode").orElse(null), request.parameter("shared-rows").orElse(null),
                request.parameter("dry-run").map(Boolean::parseBoolean).orElse(null));
        String key = dumps.existingDump(request.key().orElse("latest"), dumps.space(null));
        DumpJob job = jobs.startRestore(Requester.admin(admin.subject(), admin.email()), key, importing);
        exchange.getMessage().setHeader("Location", ApiRequest.BASE_PATH + JOBS + job.id());
        return respond(exchange, 202, job.view());
    }

    /** A job's view; a tenant admin sees the jobs they started for their tenant only, others are 404. */
    public String job(@ExchangeProperty(REQUEST) ApiRequest request, @ExchangeProperty(ADMIN) AdminPrincipal admin,
            Exchange exchange) throws JsonProcessingException {
        String id = request.subPath().substring(JOBS.length());
        DumpJob job = jobs.find(id).filter(found -> admin.platformAdmin()
                || admin.tenant().equals(found.tenant()) && found.askedBy(admin.subject()))
                .orElseThrow(ApiException::notFound);
        return respond(exchange, 200, job.view());
    }

    /** The caller and what they may do here. */
    public String me(@ExchangeProperty(ADMIN) AdminPrincipal admin, Exchange exchange) throws JsonProcessingException {
        return respond(exchange, 200, views.me(admin));
    }

    /** The jobs of this process, newest first (a tenant admin's own), and whether a dump runs on another replica. */
    public String jobs(@ExchangeProperty(ADMIN) AdminPrincipal admin, Exchange exchange)
            throws JsonProcessingException {
        return respond(exchange, 200, views.jobs(admin));
    }

    /** The schedule of full dumps, for platform admins. */
    public String schedule(@ExchangeProperty(ADMIN) AdminPrincipal admin, Exchange exchange)
            throws JsonProcessingException {
        platformOnly(admin);
        return respond(exchange, 200, views.schedule());
    }

    /** Where the round of tenant dumps stands on this replica, for platform admins. */
    public String tenantRound(@ExchangeProperty(ADMIN) AdminPrincipal admin, Exchange exchange)
            throws JsonProcessingException {
        platformOnly(admin);
        return respond(exchange, 200, json.readTree(views.tenantRound()));
    }

    /** The full dumps, or {@code ?tenant=}'s (a tenant admin's own, by default). */
    public String list(@ExchangeProperty(REQUEST) ApiRequest request, @ExchangeProperty(ADMIN) AdminPrincipal admin,
            Exchange exchange) throws JsonProcessingException {
        return respond(exchange, 200, Map.of("dumps", dumps.list(dumps.space(tenants.written(tenants.of(request, admin))))));
    }

    public String download(@ExchangeProperty(REQUEST) ApiRequest request,
            @ExchangeProperty(ADMIN) AdminPrincipal admin, Exchange exchange) throws JsonProcessingException {
        String key = request.key().orElseThrow(() -> ApiException.badRequest("invalid_key", "key is required"));
        if (!admin.platformAdmin() && !dumps.holds(dumps.space(tenants.written(admin.tenant())), key)) {
            throw ApiException.forbidden("a tenant admin may download their own tenant's dumps only");
        }
        return respond(exchange, 200, dumps.link(key));
    }

    private static void platformOnly(AdminPrincipal admin) {
        if (!admin.platformAdmin()) {
            throw ApiException.forbidden("a tenant admin may export their own tenant's data only");
        }
    }

    /** Renders the caught failure as {"error", "message"}: the refusal as it is, anything else as a bare 500. */
    public String error(Exchange exchange) throws JsonProcessingException {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = exchange.getMessage();
        if (caught instanceof DumpBusyException busy) {
            caught = ApiException.conflict(busy.getMessage());
        }
        if (caught instanceof InvalidSettingException invalid) {
            caught = ApiException.badRequest("invalid_parameter", invalid.getMessage());
        }
        if (caught instanceof TooManyTenantDumpsException tooMany) {
            caught = ApiException.tooManyRequests(tooMany.getMessage(), RETRY_AFTER_SECONDS);
        }
        if (caught instanceof ApiException api) {
            api.headers().forEach(message::setHeader);
            return respond(exchange, api.status(), new ErrorBody(api.error(), api.getMessage()));
        }
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof DumpFailedException failed) {
                // A verification that could not read the dump: its one line, never a stack trace.
                return respond(exchange, 500, new ErrorBody("verify_failed", failed.getMessage()));
            }
        }
        LOG.error("Admin API request failed: {}", caught == null ? "unknown" : caught.getMessage());
        LOG.debug("Admin API failure detail", caught);
        return respond(exchange, 500, new ErrorBody("internal_error", "the request could not be served"));
    }

    private String respond(Exchange exchange, int status, Object body) throws JsonProcessingException {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        return json.writeValueAsString(body);
    }

    /** Every error answer: a short code and one line for people, never a stack trace. */
    @JsonPropertyOrder({"error", "message"})
    record ErrorBody(@JsonProperty("error") String error, @JsonProperty("message") String message) {
    }

    private static boolean isJobId(String id) {
        return id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    }

}
