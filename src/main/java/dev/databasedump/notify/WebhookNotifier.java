package dev.databasedump.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.databasedump.DaemonThreads;
import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.pipeline.FailureMessages;
import dev.databasedump.settings.NotifySettings;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs a JSON notice to {@code dump.notify.webhook-url} when a dump finishes, in the background, with a few tries
 * and growing pauses; it never delays or fails a dump. The URL is never logged: webhook URLs often carry a token.
 *
 * <pre>{"event":"dump.succeeded","environment":"…","finished_at":"…","summary":{…}}
 * {"event":"dump.failed","environment":"…","finished_at":"…","error":"one line"}
 * {"event":"tenant-round.finished","environment":"…","finished_at":"…","round":{…}}</pre>
 * A round's tenant dumps send no notice of their own: the round sends one.
 */
public final class WebhookNotifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookNotifier.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

    private final NotifySettings settings;
    private final String environment;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    // Made on the first notification: without a webhook URL, no client (and no selector thread) is ever started.
    private HttpClient http;
    private final ExecutorService sender = DaemonThreads.singleWorker("database-dump-webhook");

    public WebhookNotifier(NotifySettings settings, String environment, Clock clock) {
        this.settings = settings;
        this.environment = environment;
        this.clock = clock;
    }

    public void succeeded(@Body String summaryJson, @ExchangeProperty(DumpPipeline.ROUND) Object round) {
        if (round != null) {
            // A tenant's dump in a round: the round sends one notice for all its tenants.
            return;
        }
        settings.webhookUrl().ifPresent(url -> send(url, notice("dump.succeeded", n -> {
            try {
                n.set("summary", json.readTree(summaryJson));
            } catch (Exception e) {
                n.put("summary", summaryJson);
            }
        })));
    }

    public void failed(@ExchangeProperty(FailureMessages.FAILURE) DumpFailedException failure,
            @ExchangeProperty(DumpPipeline.ROUND) Object round) {
        if (round != null) {
            return;
        }
        settings.webhookUrl().ifPresent(url -> send(url, notice("dump.failed",
                n -> n.put("error", failure == null ? "unknown failure" : failure.getMessage()))));
    }

    /**
     * A round of tenant dumps ended: one notice for all its tenants, {@code tenant-round.finished} when every tenant
     * is settled and none failed, else {@code tenant-round.failed}; the round's report, with the first failures by
     * tenant.
     */
    public void roundEnded(String reportJson, boolean ok) {
        settings.webhookUrl().ifPresent(url -> send(url, notice(ok ? "tenant-round.finished" : "tenant-round.failed",
                n -> {
                    try {
                        n.set("round", json.readTree(reportJson));
                    } catch (Exception e) {
                        n.put("round", reportJson);
                    }
                })));
    }

    private String notice(String event, java.util.function.Consumer<ObjectNode> details) {
        ObjectNode notice = json.createObjectNode().put("event", event).put("environment", environment)
                .put("finished_at", clock.instant().toString());
        details.accept(notice);
        return notice.toString();
    }

    private void send(URI url, String payload) {
        sender.execute(() -> {
            Duration pause = FIRST_PAUSE;
            String outcome = "not sent";
            for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
                try {
                    HttpResponse<Void> response = client().send(HttpRequest.newBuilder(url).timeout(TIMEOUT)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(payload)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() / 100 == 2) {
                        return;
                    }
                    outcome = "HTTP " + response.statusCode();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    outcome = e.getClass().getSimpleName();
                }
                if (attempt < settings.attempts() && !sleep(pause)) {
                    return;
                }
                pause = pause.multipliedBy(2);
            }
            LOG.warn("Webhook notification to {} failed after {} attempt(s): {}", url.getHost(), settings.attempts(),
                    outcome);
        });
    }

    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // Only the sender thread calls it.
    private HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        }
        return http;
    }

    @Override
    public void close() throws InterruptedException {
        sender.shutdown();
        // A last notice gets a moment to go out on shutdown.
        sender.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
