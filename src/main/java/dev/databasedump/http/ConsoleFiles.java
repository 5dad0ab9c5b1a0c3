package dev.databasedump.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The console's files, served from the jar ({@code database-dump/console/}) by the {@code database-dump-console} route,
 * with the headers a page of an admin tool needs: a Content-Security-Policy that allows no inline script or style and
 * lets the page talk to this service only; {@code nosniff}; no referrer (a download link must not travel in one); no
 * framing of the standalone page; and {@code no-cache} with an ETag, so every load asks whether a file changed and a
 * new version shows at once. Origins listed in {@code dump.http.cors-origins} may load the files from their own pages
 * (a module script is fetched with CORS), to embed the console in their admin UI.
 */
public final class ConsoleFiles {

    static final String ROOT = "database-dump/console/";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private final List<String> corsOrigins;
    private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

    /** @param corsOrigins browser origins whose pages may load the console's files ({@code dump.http.cors-origins}) */
    public ConsoleFiles(List<String> corsOrigins) {
        this.corsOrigins = List.copyOf(corsOrigins);
    }

    /** A file of the jar, its bytes and a tag that changes with them. */
    private record File(byte[] bytes, String type, String etag) {
    }

    /** Answers a request under {@code /console}: the file, 304 when the caller has it already, or 404/405. */
    public void serve(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, "GET", String.class).toUpperCase(Locale.ROOT);
        String path = Optional.ofNullable(in.getHeader(Exchange.HTTP_PATH, String.class)).orElse("");
        String origin = in.getHeader("Origin", String.class);
        String ifNoneMatch = in.getHeader("If-None-Match", String.class);
        in.removeHeaders("*");
        in.setBody(null);
        common(in);
        if (origin != null && corsOrigins.contains(origin)) {
            in.setHeader("Access-Control-Allow-Origin", origin);
            in.setHeader("Vary", "Origin");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            answer(in, 405, "text/plain; charset=utf-8", "GET only".getBytes(StandardCharsets.UTF_8));
            in.setHeader("Allow", "GET, HEAD");
            return;
        }
        String name = path.replaceFirst("^/?console/?", "");
        if (path.matches("^/?console$")) {
            // Relative links on the page resolve against /console/.
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 308);
            in.setHeader("Location", "/console/");
            return;
        }
        Optional<File> file = name.isEmpty() ? file("index.html") : file(name);
        if (file.isEmpty()) {
            answer(in, 404, "text/plain; charset=utf-8", "no such file".getBytes(StandardCharsets.UTF_8));
            return;
        }
        in.setHeader("ETag", file.get().etag());
        if (file.get().etag().equals(ifNoneMatch)) {
            in.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            return;
        }
        answer(in, 200, file.get().type(), method.equals("HEAD") ? new byte[0] : file.get().bytes());
    }

    private static void common(Message out) {
        out.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setHeader("Referrer-Policy", "no-referrer");
        out.setHeader("X-Frame-Options", "DENY");
        out.setHeader("Cache-Control", "no-cache");
    }

    private static void answer(Message out, int status, String type, byte[] body) {
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, type);
        out.setBody(body);
    }

    // Only names of the console's own files: letters, digits, dashes, dots between them, one level of folders.
    private Optional<File> file(String name) {
        if (!name.matches("[a-z0-9-]+(/[a-z0-9-]+)?\\.[a-z]+")) {
            return Optional.empty();
        }
        return files.computeIfAbsent(name, ConsoleFiles::read);
    }

    private static Optional<File> read(String name) {
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            return Optional.of(new File(bytes, type, "\"" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(bytes), 0, 12) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
