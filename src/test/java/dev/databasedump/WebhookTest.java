package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** dump.notify.webhook-url, received by an HTTP server of the test's own. */
class WebhookTest extends DumpIntegrationTest {

    private static final String PATH = "/hooks/secret-token-in-the-path";

    private HttpServer receiver;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(204);

    @BeforeEach
    void receiver() throws Exception {
        db.execute("CREATE TABLE matters (id int PRIMARY KEY)", "INSERT INTO matters VALUES (1)");
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext(PATH, exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private Map<String, String> notifying() {
        Map<String, String> settings = settings();
        settings.put("dump.notify.webhook-url", "http://127.0.0.1:" + receiver.getAddress().getPort() + PATH);
        settings.put("dump.notify.attempts", "2");
        return settings;
    }

    @Test
    void should_post_the_summary_when_a_dump_succeeds() throws Exception {
        Dump dump = dump(notifying());

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        JsonNode notice = StoredDump.EXACT_JSON.readTree(received.get(0));
        assertThat(notice.get("event").asText()).isEqualTo("dump.succeeded");
        assertThat(notice.get("environment").asText()).isEqualTo("test");
        assertThat(notice.at("/summary/key").asText()).isEqualTo(dump.key());
        assertThat(notice.at("/summary/sha256").asText()).isEqualTo(dump.stored().sha256());
    }

    @Test
    void should_post_the_error_when_a_dump_fails() throws Exception {
        Map<String, String> settings = notifying();
        settings.put("dump.db.url", "jdbc:postgresql://127.0.0.1:" + S3ProxyServer.freePort() + "/nowhere");

        failedDump(settings);

        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
        JsonNode notice = StoredDump.EXACT_JSON.readTree(received.get(0));
        assertThat(notice.get("event").asText()).isEqualTo("dump.failed");
        assertThat(notice.get("error").asText()).startsWith("opening a snapshot of the database failed")
                .doesNotContain("\n");
    }

    @Test
    void should_retry_a_failing_webhook_a_bounded_number_of_times_without_failing_the_dump() throws Exception {
        answer.set(500);
        try (CapturedLogs logs = new CapturedLogs()) {
            Dump dump = dump(notifying());

            assertThat(dump.key()).startsWith("dumps/full-dump-");
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.text().contains("Webhook notification to"));
            assertThat(logs.text()).contains("failed after 2 attempt(s): HTTP 500").doesNotContain(PATH);
        }
    }
}
