package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;

import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpIntegrationTest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a store answers, said so an operator can act: a size limit is named at once (never retried), a store that
 * stops answering fails the dump within dump.s3.request-timeout, and an endpoint that is not an S3 API names the
 * setting to fix.
 */
class StoreAnswersTest extends DumpIntegrationTest {

    /** Supabase Storage's answer to an object or part above the upload limit; it closes the connection after. */
    private static final String ENTITY_TOO_LARGE = answer("413 Payload Too Large", "application/xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>EntityTooLarge</Code>"
                    + "<Message>The object exceeded the maximum allowed size</Message></Error>");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "one PUT of a small dump, 1000, 'PUT /', the dump is 1 MB",
        "parts of a multipart dump, 12000, partNumber=, the dump had grown to 12 MB"})
    void should_name_the_stores_size_limit_at_once_instead_of_retrying(String upload, int rows, String refused,
            String size) throws Exception {
        db.execute("CREATE TABLE big (id int PRIMARY KEY, pad text)",
                "INSERT INTO big SELECT g, repeat('x', 1000) FROM generate_series(1, " + rows + ") g");
        CuttingProxy.Rule uploads = (all, connection, chunk) -> chunk.contains(refused)
                && chunk.contains("PUT /") && !chunk.contains(".sha256");
        try (CuttingProxy limit = new CuttingProxy(s3.endpoint().getPort(), uploads, ENTITY_TOO_LARGE)) {
            Map<String, String> settings = settings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + limit.port());

            Throwable failure = failedDump(settings);

            assertThat(failure.getMessage()).isEqualTo("the store refused the dump as too large (413 EntityTooLarge; "
                    + size + "): raise the bucket's file size limit or set dump.compression=gzip");
            // The SDK asks first (Expect: 100-continue), so it reads the refusal before sending the body, and a 413
            // is not tried again (a multipart dump may have had two parts in flight when the first was refused).
            assertThat(limit.cutRequests()).as("requests the store refused").isNotEmpty().doesNotHaveDuplicates()
                    .hasSizeLessThanOrEqualTo(3);
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_never_send_again_a_put_the_store_cut_off_after_100_continue_saying_what_is_known() throws Exception {
        db.execute("CREATE TABLE big (id int PRIMARY KEY, pad text)",
                "INSERT INTO big SELECT g, repeat('x', 1000) FROM generate_series(1, 1000) g");
        // Supabase Storage over a bucket's size limit: "100 Continue", then 413 after part of the body, and the
        // connection closed, so the client never reads the 413; a part alike.
        CuttingProxy.Rule uploads = (all, connection, chunk) -> chunk.contains("PUT /") && chunk.contains(".json")
                && !chunk.contains(".sha256");
        try (CuttingProxy limit = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false,
                ENTITY_TOO_LARGE).continuingThenAnswering(uploads, 64 * 1024)) {
            Map<String, String> settings = settings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + limit.port());

            Throwable failure = failedDump(settings);

            // Mostly the cut is all the client sees; now and then it reads the 413 before the connection goes, and
            // the line then says that, as for a store that answers a readable 413.
            assertThat(failure.getMessage()).isIn("the store closed the connection while receiving the dump, one"
                    + " request of 1 MB, without an answer: a store does that past an upload size limit (on Supabase"
                    + " Storage, the bucket's file_size_limit or the project's upload size limit); raise the limit,"
                    + " set dump.compression=gzip; or check the network to http://127.0.0.1:" + limit.port(),
                    "the store refused the dump as too large (413 EntityTooLarge; the dump is 1 MB): raise the"
                    + " bucket's file size limit or set dump.compression=gzip");
            assertThat(limit.cutRequests()).as("the PUT, once, and nothing after it").hasSize(1);
            assertThat(limit.cutRequests().get(0)).doesNotContain("partNumber=");
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_name_what_the_store_refused_of_a_puts_headers_though_it_cut_the_body_off() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        // A store that answers a header it does not implement (501) and closes while the body is still coming: the
        // client sees the cut, never the answer.
        CuttingProxy.Rule puts = (all, connection, chunk) -> chunk.contains("PUT /") && chunk.contains(".json ")
                && !chunk.contains(".sha256");
        try (CuttingProxy store = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false,
                answer("501 Not Implemented", "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                        + "<Error><Code>NotImplemented</Code><Message>not implemented</Message></Error>"))
                .continuingThenAnswering(puts, 1)) {
            Map<String, String> settings = settings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + store.port());
            settings.put("dump.s3.server-side-encryption", "AES256");

            Throwable failure = failedDump(settings);

            assertThat(failure.getMessage()).startsWith("the store does not implement what the upload asked of it"
                    + " (501 NotImplemented): if dump.s3.server-side-encryption is set");
            assertThat(store.cutRequests()).as("the dump, once").hasSize(1);
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_stop_reading_at_once_and_send_no_part_again_when_the_store_cuts_every_part_after_the_first()
            throws Exception {
        // The bench's audit log, large enough that reading it whole would take seconds and hundreds of megabytes.
        db.execute("CREATE TABLE audit_log (id bigint PRIMARY KEY, event_id uuid, actor text, action text,"
                + " payload jsonb, ip inet, amount numeric(14, 2), tags text[], at timestamptz)",
                "INSERT INTO audit_log SELECT g, md5(g::text)::uuid, 'user-' || (g % 5000) || '@example.com',"
                        + " (ARRAY['create','update','delete'])[1 + g % 3], jsonb_build_object('case', g % 9973,"
                        + " 'field', 'status', 'from', 'open', 'to', 'closed', 'note', repeat('n', 40)),"
                        + " ('10.' || (g % 250) || '.' || (g % 200) || '.' || (g % 100))::inet, (g % 100000) / 100.0,"
                        + " ARRAY['tenant-' || (g % 40), 'web'], timestamptz '2026-01-01' + g * interval '1 second'"
                        + " FROM generate_series(1, 300000) g", "ANALYZE audit_log");
        java.util.concurrent.atomic.AtomicInteger parts = new java.util.concurrent.atomic.AtomicInteger();
        CuttingProxy.Rule afterTheFirst = (all, connection, chunk) -> chunk.contains("PUT /")
                && chunk.contains("partNumber=") && parts.incrementAndGet() > 1;
        try (CuttingProxy limit = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false,
                ENTITY_TOO_LARGE).continuingThenAnswering(afterTheFirst, 64 * 1024)) {
            Map<String, String> settings = settings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + limit.port());
            settings.put("dump.parallelism", "2");
            // Pieces of a few parts, so that parts go up while the table is read (a piece's bytes go up once it is in
            // the document, in order).
            settings.put("dump.piece-rows", "20000");
            long started = System.nanoTime();

            Throwable failure = failedDump(settings);

            Duration took = Duration.ofNanos(System.nanoTime() - started);
            long partUploads = limit.passedRequests().stream().filter(request -> request.contains("partNumber="))
                    .count() + limit.cutRequests().size();
            assertThat(partUploads).as("part uploads the store saw: parallelism + 2 at most").isLessThanOrEqualTo(4);
            assertThat(limit.cutRequests()).as("never a part sent again").doesNotHaveDuplicates();
            assertThat(took).isLessThan(Duration.ofSeconds(30));
            assertThat(failure.getMessage()).startsWith("the store closed the connection while receiving part ")
                    .contains("dump.s3.part-size").doesNotContain("50 MB");
            int grown = Integer.parseInt(failure.getMessage().replaceAll(".*the dump had grown to (\\d+) MB.*", "$1"));
            assertThat(grown).as("MB of the document read before the reading stopped (of about 100)")
                    .isLessThanOrEqualTo(40);
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_name_the_endpoint_setting_when_nothing_listens_there() throws Exception {
        db.execute("CREATE TABLE t (id int PRIMARY KEY)");
        Map<String, String> settings = settings();
        int nobody = dev.databasedump.support.S3ProxyServer.freePort();
        settings.put("dump.s3.endpoint", "http://127.0.0.1:" + nobody);

        Throwable failure = failedDump(settings);

        assertThat(failure.getMessage()).isEqualTo("the store at http://127.0.0.1:" + nobody + " refused the"
                + " connection: check dump.s3.endpoint (is the store running, on that host and port?)");
        assertNothingLeftBehind();
    }

    @Test
    void should_fail_in_the_request_timeout_naming_the_endpoint_when_the_store_never_answers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> settings = settings();
            String endpoint = "http://127.0.0.1:" + silent.getLocalPort();
            settings.put("dump.s3.endpoint", endpoint);
            settings.put("dump.s3.request-timeout", "1s");

            long started = System.nanoTime();
            Throwable failure = failedDump(settings);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
            assertThat(failure.getMessage()).isEqualTo("the store at " + endpoint + " did not answer in time"
                    + " (dump.s3.request-timeout: 1.0 s an attempt, 3 attempts): check dump.s3.endpoint and the"
                    + " network to it");
            assertThat(accepted).as("connections the store accepted").isNotEmpty();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
        assertNothingLeftBehind();
    }

    @Test
    void should_fail_and_clean_up_when_the_store_stops_answering_in_the_middle_of_the_upload() throws Exception {
        db.execute("CREATE TABLE big (id int PRIMARY KEY, pad text)",
                "INSERT INTO big SELECT g, repeat('x', 1000) FROM generate_series(1, 12000) g");
        CuttingProxy.Rule parts = (all, connection, chunk) -> chunk.contains("PUT /") && chunk.contains("partNumber=");
        try (CuttingProxy silentForParts = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                .stallingRequests(parts)) {
            Map<String, String> settings = settings();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + silentForParts.port());
            settings.put("dump.s3.request-timeout", "2s");

            long started = System.nanoTime();
            Throwable failure = failedDump(settings);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
            assertThat(failure.getMessage()).startsWith("the store at http://127.0.0.1:" + silentForParts.port()
                    + " did not answer in time (dump.s3.request-timeout: 2.0 s an attempt").contains("dump.s3.endpoint");
            assertThat(silentForParts.cuts()).as("part requests the store never answered").isPositive();
        }
        assertNothingLeftBehind();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "the Storage REST URL instead of its /s3 endpoint | 404 Not Found | application/json"
                + " | {\"statusCode\":\"404\",\"error\":\"not_found\",\"message\":\"Route not found\"}",
        "a web page | 200 OK | text/html | <html><body>Welcome</body></html>"})
    void should_name_the_endpoint_setting_when_the_store_is_not_an_s3_api(String what, String status,
            String contentType, String body) throws Exception {
        HttpServer notS3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        notS3.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(Integer.parseInt(status.substring(0, 3)), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        notS3.start();
        try {
            Map<String, String> settings = settings();
            String endpoint = "http://127.0.0.1:" + notS3.getAddress().getPort();
            settings.put("dump.s3.endpoint", endpoint);

            Throwable failure = failedDump(settings);

            assertThat(failure.getMessage()).startsWith("the store at " + endpoint + " did not answer as an S3 API")
                    .contains("check dump.s3.endpoint").doesNotContain("\n");
        } finally {
            notS3.stop(0);
        }
        assertNothingLeftBehind();
    }

    private static String answer(String status, String contentType, String body) {
        return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
    }
}
