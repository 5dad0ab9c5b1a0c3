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
import dev.databasedump.database.StepFailedException;
import dev.databasedump.pipeline.TenantRefusedException;
import dev.databasedump.scope.TenantDirectory;
import dev.databasedump.scope.TenantRefusal;
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
    /** When a client refused for too many tenant dumps at once should try again. */
    private static final int RETRY_AFTER_SECONDS = 30;

    private final HttpSettings settings;
    private final TokenVerifier tokens;
    private final AdminAuthorizer admins;
    private final DumpJobs jobs;
    private final StoredDumps dumps;
    private final boolean restoreEnabled;
    private final TenantImportSettings restoreTenants;
    private final boolean tenantDumps;
    private final TenantDirectory tenants;
    private final ObjectMapper json;

    /**
     * @param restoreEnabled whether restores may be started here ({@code dump.restore.http-enabled})
     * @param restoreTenants how a restore takes one tenant's data, unless a request says otherwise
     * @param tenants        where a tenant asked for is checked and named as the database writes it; null when
     *                       tenant dumps are not configured ({@code dump.tenant.column})
     */
    public HttpApi(HttpSettings settings, TokenVerifier tokens, AdminAuthorizer admins, DumpJobs jobs,
            StoredDumps dumps, boolean restoreEnabled, TenantImportSettings restoreTenants, TenantDirectory tenants,
            ObjectMapper json) {
        this.settings = settings;
        this.tokens = tokens;
        this.admins = admins;
        this.jobs = jobs;
        this.dumps = dumps;
        this.restoreEnabled = restoreEnabled;
        this.restoreTenants = restoreTenants;
        this.tenantDumps = tenants != null;
        this.tenants = tenants;
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
        DumpJob job = jobs.runNow(Requester.admin(admin.subject(), admin.email()), dumpedTenant(request, admin));
        if (job.state() == DumpJob.State.failed) {
            if (job.failure() instanceof TenantRefusedException refused) {
                throw refusal(refused.getMessage(), refused.unknown());
            }
            return respond(exchange, 500, new ErrorBody("dump_failed", job.error()));
        }
        return respond(exchange, 200, job.summary());
    }

    public String start(@ExchangeProperty(REQUEST) ApiRequest request, @ExchangeProperty(ADMIN) AdminPrincipal admin,
            Exchange exchange) throws JsonProcessingException {
        DumpJob job = jobs.start(Requester.admin(admin.subject(), admin.email()), dumpedTenant(request, admin));
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

    /** The full dumps, or {@code ?tenant=}'s (a tenant admin's own, by default). */
    public String list(@ExchangeProperty(REQUEST) ApiRequest request, @ExchangeProperty(ADMIN) AdminPrincipal admin,
            Exchange exchange) throws JsonProcessingException {
        return respond(exchange, 200, Map.of("dumps", dumps.list(dumps.space(written(dumpTenant(request, admin))))));
    }

    public String download(@ExchangeProperty(REQUEST) ApiRequest request,
            @ExchangeProperty(ADMIN) AdminPrincipal admin, Exchange exchange) throws JsonProcessingException {
        String key = request.key().orElseThrow(() -> ApiException.badRequest("invalid_key", "key is required"));
        if (!admin.platformAdmin() && !dumps.holds(dumps.space(written(admin.tenant())), key)) {
            throw ApiException.forbidden("a tenant admin may download their own tenant's dumps only");
        }
        return respond(exchange, 200, dumps.link(key));
    }

    // The tenant a dump or a listing is of: ?tenant= for a platform admin (none: the full dumps), a tenant admin's own.
    private String dumpTenant(ApiRequest request, AdminPrincipal admin) {
        String tenant = admin.platformAdmin() ? request.tenant().orElse(null) : request.tenant().orElse(admin.tenant());
        if (!admin.platformAdmin() && !tenant.equals(admin.tenant())) {
            throw ApiException.forbidden("a tenant admin may reach their own tenant's dumps only");
        }
        if (tenant != null && !tenantDumps) {
            throw ApiException.badRequest("tenant_dumps_off", "tenant dumps are off: set dump.tenant.column");
        }
        return tenant;
    }

    // The tenant a dump is asked of, checked before a job starts: an id no tenant can have is 400, one no tenant has 404.
    private String dumpedTenant(ApiRequest request, AdminPrincipal admin) {
        String tenant = dumpTenant(request, admin);
        if (tenant == null) {
            return null;
        }
        try {
            return tenants.canonical(tenant);
        } catch (TenantRefusal refused) {
            throw refusal(refused.getMessage(), refused.unknown());
        } catch (StepFailedException e) {
            // The dump itself will say what is wrong with the database, in its one line.
            LOG.debug("Could not check tenant {} before its dump: {}", tenant, e.getMessage());
            return tenant;
        }
    }

    // A tenant's dumps are filed under the id as the database writes it (a UUID in lower case); a tenant table that no
    // longer has the tenant still lists its dumps. Without the database, the id as it was given.
    private String written(String tenant) {
        if (tenant == null) {
            return null;
        }
        try {
            return tenants.written(tenant);
        } catch (TenantRefusal refused) {
            throw refusal(refused.getMessage(), false);
        } catch (StepFailedException e) {
            LOG.debug("Could not check tenant {}: {}", tenant, e.getMessage());
            return tenant;
        }
    }

    private static ApiException refusal(String message, boolean unknown) {
        return unknown ? new ApiException(404, "unknown_tenant", message, Map.of())
                : ApiException.badRequest("invalid_tenant", message);
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
