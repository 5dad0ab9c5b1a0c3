package dev.databasedump.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.apache.camel.Exchange;

/**
 * What the API reads of a request, taken once at the door; every request header is dropped after that, so no header
 * or query parameter can reach the dump route.
 *
 * @param method        HTTP method
 * @param subPath       the path below {@code /api/database-dump}, percent-decoded, "" for the collection itself
 * @param authorization the Authorization header, if any (the only place a token is read from)
 * @param prefer        the Prefer header, if any
 * @param origin        the Origin header, if any
 * @param key           the {@code key} query parameter, if any
 * @param tenant        the {@code tenant} query parameter, if any
 * @param rawQuery      the query string, for the few operations that take more parameters ({@link #parameter})
 */
public record ApiRequest(String method, String subPath, Optional<String> authorization, Optional<String> prefer,
        Optional<String> origin, Optional<String> key, Optional<String> tenant, String rawQuery) {

    public static final String BASE_PATH = "/api/database-dump";

    static ApiRequest of(Exchange exchange) {
        var in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, "GET", String.class).toUpperCase(java.util.Locale.ROOT);
        String path = Optional.ofNullable(in.getHeader(Exchange.HTTP_PATH, String.class)).orElse("");
        return new ApiRequest(method, subPath(path),
                Optional.ofNullable(in.getHeader("Authorization", String.class)),
                Optional.ofNullable(in.getHeader("Prefer", String.class)),
                Optional.ofNullable(in.getHeader("Origin", String.class)),
                queryParameter(in.getHeader(Exchange.HTTP_RAW_QUERY, String.class), "key"),
                queryParameter(in.getHeader(Exchange.HTTP_RAW_QUERY, String.class), "tenant")
                        .filter(tenant -> !tenant.isBlank()),
                in.getHeader(Exchange.HTTP_RAW_QUERY, String.class));
    }

    /** A query parameter, if the request has it. */
    Optional<String> parameter(String name) {
        return queryParameter(rawQuery, name).filter(value -> !value.isBlank());
    }

    boolean respondAsync() {
        return prefer.map(p -> p.toLowerCase(java.util.Locale.ROOT).contains("respond-async")).orElse(false);
    }

    static String subPath(String path) {
        String decoded = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        String below = decoded.startsWith(BASE_PATH) ? decoded.substring(BASE_PATH.length()) : decoded;
        return below.endsWith("/") ? below.substring(0, below.length() - 1) : below;
    }

    private static Optional<String> queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return Optional.of(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
