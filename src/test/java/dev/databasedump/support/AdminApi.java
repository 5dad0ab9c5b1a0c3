package dev.databasedump.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The application with its admin HTTP API on a free port, and plain HTTP calls to it. */
public final class AdminApi implements AutoCloseable {

    /** The HS256 secret the test applications accept; test tokens are signed with it. */
    public static final String JWT_SECRET = "test-jwt-secret-of-at-least-thirty-two-bytes";

    private final DumpApplication app;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    private AdminApi(DumpApplication app, String base) {
        this.app = app;
        this.base = base;
    }

    /** Starts the application with {@code settings} plus the API on a free port, accepting {@link #JWT_SECRET}. */
    public static AdminApi start(Map<String, String> settings) throws Exception {
        int port = S3ProxyServer.freePort();
        Map<String, String> withApi = new HashMap<>();
        withApi.put("dump.http.enabled", "true");
        withApi.put("dump.http.port", String.valueOf(port));
        withApi.put("dump.auth.jwt-secret", JWT_SECRET);
        withApi.putAll(settings);
        return new AdminApi(DumpApplication.start(withApi), "http://127.0.0.1:" + port);
    }

    /** One request; {@code token} may be null, {@code headers} are name, value, name, value, ... */
    public HttpResponse<String> call(String method, String path, String token, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(90));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String base() {
        return base;
    }

    @Override
    public void close() {
        app.close();
    }
}
