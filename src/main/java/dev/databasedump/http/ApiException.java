package dev.databasedump.http;

import java.util.Map;

/** An HTTP answer other than success: status, a short error code and one line for people. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String error;
    private final Map<String, String> headers;

    public ApiException(int status, String error, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException unauthorized(String message) {
        // RFC 6750: a Bearer challenge, with the reason when a token was sent but refused.
        return new ApiException(401, "unauthorized", message,
                Map.of("WWW-Authenticate", "Bearer realm=\"database-dump\", error=\"invalid_token\""));
    }

    public static ApiException missingToken() {
        return new ApiException(401, "unauthorized", "a Bearer token is required",
                Map.of("WWW-Authenticate", "Bearer realm=\"database-dump\""));
    }

    public static ApiException forbidden(String message) {
        return new ApiException(403, "forbidden", message, Map.of());
    }

    public static ApiException notFound() {
        return new ApiException(404, "not_found", "no such resource", Map.of());
    }

    public static ApiException methodNotAllowed(String allow) {
        return new ApiException(405, "method_not_allowed", "allowed: " + allow, Map.of("Allow", allow));
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "dump_running", message, Map.of());
    }

    public static ApiException tooManyRequests(String message, int retryAfterSeconds) {
        return new ApiException(429, "too_many_dumps", message,
                Map.of("Retry-After", String.valueOf(retryAfterSeconds)));
    }

    public static ApiException badRequest(String error, String message) {
        return new ApiException(400, error, message, Map.of());
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
