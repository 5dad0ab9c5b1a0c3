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

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-dump-http} route, in route order: {@link #accept} the request at the door,
 * {@link #authenticate} it, {@link #route} it to an operation, answer it; {@link #error} renders any refusal.
 */
public final class HttpApi {

    public static final String REQUEST = "databaseDumpHttpRequest";
    public static final String ADMIN = "databaseDumpHttpAdmin";
    public static final String OPERATION = "databaseDumpHttpOperation";
    /** Set when {@link #accept} already answered (a CORS preflight). */
    public static final String ANSWERED = "databaseDumpHttpAnswered";

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String JOBS = "/jobs/";

    private final HttpSettings settings;
    private final TokenVerifier tokens;
    private final AdminAuthorizer admins;
    private final DumpJobs jobs;
    private final StoredDumps dumps;
    private final boolean restoreEnabled;
    private final ObjectMapper json;

    /** @param restoreEnabled whether restores may be started here ({@code dump.restore.http-enabled}) */
    public HttpApi(HttpSettings settings, TokenVerifier tokens, AdminAuthorizer admins, DumpJobs jobs,
            StoredDumps dumps, boolean restoreEnabled, ObjectMapper json) {
        this.settings = settings;
        this.tokens = tokens;
        this.admins = admins;
        this.jobs = jobs;
        this.dumps = dumps;
        this.restoreEnabled = restoreEnabled;
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

    public String run(@ExchangeProperty(ADMIN) AdminPrincipal admin, Exchange exchange) throws JsonProcessingException {
        DumpJob job = jobs.runNow(Requester.admin(admin.subject(), admin.email()));
        if (job.state() == DumpJob.State.failed) {
            return respond(exchange, 500, new ErrorBody("dump_failed", job.error()));
        }
        return respond(exchange, 200, job.summary());
    }

    public String start(@ExchangeProperty(ADMIN) AdminPrincipal admin, Exchange exchange)
            throws JsonProcessingException {
        DumpJob job = jobs.start(Requester.admin(admin.subject(), admin.email()));
        exchange.getMessage().setHeader("Location", ApiRequest.BASE_PATH + JOBS + job.id());
        return respond(exchange, 202, job.view());
    }

    /** Verifies a stored dump (the {@code key} parameter, or latest): 200 with the report, whose ok is the verdict. */
    public String verify(@ExchangeProperty(REQUEST) ApiRequest request, Exchange exchange)
            throws JsonProcessingException {
        String key = dumps.existingDump(request.key().orElse("latest"));
        return respond(exchange, 200, json.readTree(jobs.verify(key)));
    }

    /** Starts a restore as a job (202 + Location), when dump.restore.http-enabled allows it; 409 while one runs. */
    public String restore(@ExchangeProperty(REQUEST) ApiRequest request, @ExchangeProperty(ADMIN) AdminPrincipal admin,
            Exchange exchange) throws JsonProcessingException {
        if (!restoreEnabled) {
            throw ApiException.forbidden("restore over HTTP is off: set dump.restore.http-enabled=true to allow it");
        }
        String key = dumps.existingDump(request.key().orElse("latest"));
        DumpJob job = jobs.startRestore(Requester.admin(admin.subject(), admin.email()), key);
        exchange.getMessage().setHeader("Location", ApiRequest.BASE_PATH + JOBS + job.id());
        return respond(exchange, 202, job.view());
    }

    public String job(@ExchangeProperty(REQUEST) ApiRequest request, Exchange exchange)
            throws JsonProcessingException {
        String id = request.subPath().substring(JOBS.length());
        return respond(exchange, 200, jobs.find(id).orElseThrow(ApiException::notFound).view());
    }

    public String list(Exchange exchange) throws JsonProcessingException {
        return respond(exchange, 200, Map.of("dumps", dumps.list()));
    }

    public String download(@ExchangeProperty(REQUEST) ApiRequest request, Exchange exchange)
            throws JsonProcessingException {
        String key = request.key().orElseThrow(() -> ApiException.badRequest("invalid_key", "key is required"));
        return respond(exchange, 200, dumps.link(key));
    }

    /** Renders the caught failure as {"error", "message"}: the refusal as it is, anything else as a bare 500. */
    public String error(Exchange exchange) throws JsonProcessingException {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Message message = exchange.getMessage();
        if (caught instanceof DumpBusyException busy) {
            caught = ApiException.conflict(busy.getMessage());
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
