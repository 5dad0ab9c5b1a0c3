package dev.databasedump.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;

import dev.databasedump.support.AdminApi;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/** Real HTTP calls against the running application, with tokens minted here. */
class HttpApiTest extends DumpIntegrationTest {

    private static final String UI_ORIGIN = "https://admin.example.com";

    private final HttpClient http = HttpClient.newHttpClient();
    private Tokens tokens;
    private AdminApi api;

    @BeforeEach
    void tablesAndTokens() throws Exception {
        db.execute("CREATE TABLE matters (id int PRIMARY KEY, title text)",
                "INSERT INTO matters VALUES (1, 'one'), (2, 'two')");
        tokens = new Tokens();
    }

    @AfterEach
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
        tokens.close();
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> settings = settings();
        settings.put("dump.auth.jwks-url", tokens.jwksUrl());
        settings.put("dump.auth.jwks-refresh-interval", "1s");
        settings.put("dump.http.cors-origins", UI_ORIGIN);
        settings.putAll(extra);
        api = AdminApi.start(settings);
    }

    private HttpResponse<String> call(String method, String path, String token, String... headers) throws Exception {
        return api.call(method, path, token, headers);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return StoredDump.EXACT_JSON.readTree(response.body());
    }

    @Test
    void should_never_answer_2xx_under_the_api_path_without_a_valid_admin_token() throws Exception {
        start(Map.of());
        List<String> paths = List.of("/api/database-dump", "/api/database-dump/", "/api/database-dump//",
                "/api/database-dump/jobs/00000000-0000-0000-0000-000000000000", "/api/database-dump/download?key=x",
                "/api/database-dump/anything/else", "/api/database-dump/%2e%2e/api/database-dump",
                "/api/database-dump/jobs/%2e%2e", "/api/database-dump/..%2fdownload", "/api/database-dump%2f");
        List<String> refused = new ArrayList<>();
        for (String path : paths) {
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "HEAD")) {
                HttpResponse<String> noToken = call(method, path, null);
                HttpResponse<String> queryToken = call(method, path + (path.contains("?") ? "&" : "?")
                        + "access_token=" + Tokens.admin(), null);
                HttpResponse<String> cookieToken = call(method, path, null, "Cookie",
                        "sb-access-token=" + Tokens.admin());
                for (HttpResponse<String> response : List.of(noToken, queryToken, cookieToken)) {
                    assertThat(response.statusCode() / 100).as(method + " " + path + " -> " + response.statusCode()).isNotEqualTo(2);
                    if (response.statusCode() == 401) {
                        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString()
                                .startsWith("Bearer");
                        refused.add(method + " " + path);
                    }
                }
            }
        }
        assertThat(refused).as("paths that reached the API were refused for want of a token")
                .contains("POST /api/database-dump", "GET /api/database-dump/", "GET /api/database-dump/anything/else");
        assertThat(StoredDump.keys(s3.client(), bucket)).as("no dump was taken").isEmpty();
    }

    @Test
    void should_refuse_forged_expired_unsigned_and_misaddressed_tokens() throws Exception {
        start(Map.of("dump.auth.issuer", "https://project.supabase.co/auth/v1", "dump.auth.audience", "authenticated"));
        var good = Tokens.claims("admin-user", "admin").issuer("https://project.supabase.co/auth/v1")
                .audience("authenticated");
        ECKey ecKey = tokens.rotate("key-2");
        List<String> refused = List.of(
                Tokens.hs256(good.build(), "another-secret-of-at-least-thirty-two-bytes"),
                Tokens.hs256(Tokens.claims("admin-user", "admin").issuer("https://project.supabase.co/auth/v1")
                        .audience("authenticated").expirationTime(Date.from(Instant.now().minusSeconds(120))).build(),
                        Tokens.SECRET),
                Tokens.hs256(Tokens.claims("admin-user", "admin").issuer("https://project.supabase.co/auth/v1")
                        .audience("authenticated").notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build(),
                        Tokens.SECRET),
                Tokens.unsigned(good.build()),
                Tokens.hs256(Tokens.claims("admin-user", "admin").issuer("https://evil.example.com")
                        .audience("authenticated").build(), Tokens.SECRET),
                Tokens.hs256(Tokens.claims("admin-user", "admin").issuer("https://project.supabase.co/auth/v1")
                        .audience("service_role").build(), Tokens.SECRET),
                // HS/RS confusion: an HMAC keyed with the published public key.
                Tokens.hs256(good.build(), ecKey.toPublicJWK().toJSONString()),
                "not.a.token");

        for (String token : refused) {
            HttpResponse<String> response = call("GET", "/api/database-dump", token);
            assertThat(response.statusCode()).as(token).isEqualTo(401);
            assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
        }
        assertThat(call("GET", "/api/database-dump", Tokens.hs256(good.build(), Tokens.SECRET)).statusCode())
                .isEqualTo(200);
        assertThat(call("GET", "/api/database-dump", Tokens.es256(good.build(), ecKey)).statusCode()).isEqualTo(200);
    }

    @Test
    void should_forbid_valid_tokens_without_the_admin_role_in_app_metadata() throws Exception {
        start(Map.of());
        String authenticated = Tokens.hs256(Tokens.claims("someone", "authenticated").build(), Tokens.SECRET);
        String adminInUserMetadata = Tokens.hs256(Tokens.claims("someone", null)
                .claim("user_metadata", Map.of("role", "admin")).build(), Tokens.SECRET);

        for (String token : List.of(authenticated, adminInUserMetadata)) {
            HttpResponse<String> response = call("POST", "/api/database-dump", token);
            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(json(response).get("error").asText()).isEqualTo("forbidden");
        }
        assertThat(StoredDump.keys(s3.client(), bucket)).isEmpty();
    }

    @Test
    void should_run_a_dump_for_an_admin_record_who_asked_and_never_log_the_token() throws Exception {
        start(Map.of());
        String token = Tokens.admin();
        try (CapturedLogs logs = new CapturedLogs()) {
            HttpResponse<String> response = call("POST", "/api/database-dump", token);

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode summary = json(response);
            assertThat(summary.at("/metadata/triggered_by").asText()).isEqualTo("admin-user");
            StoredDump stored = StoredDump.download(s3.client(), bucket, summary.get("key").asText());
            assertThat(stored.document().at("/metadata/triggered_by").asText()).isEqualTo("admin-user");
            assertThat(stored.document().at("/data/matters")).hasSize(2);
            assertThat(logs.text()).contains("subject=admin-user email=admin-user@example.com")
                    .contains("result=succeeded key=" + summary.get("key").asText())
                    .doesNotContain(token).doesNotContain(Tokens.SECRET);
        }
    }

    @Test
    void should_accept_es256_tokens_from_the_jwks_follow_a_rotation_and_survive_an_outage() throws Exception {
        start(Map.of());
        String first = tokens.es256(Tokens.claims("admin-user", "admin").build());
        assertThat(call("GET", "/api/database-dump", first).statusCode()).isEqualTo(200);

        ECKey rotated = tokens.rotate("key-2");
        String afterRotation = Tokens.es256(Tokens.claims("admin-user", "admin").build(), rotated);
        int fetchesBefore = tokens.jwksFetches();
        for (int i = 0; i < 10; i++) {
            call("GET", "/api/database-dump", afterRotation);
        }
        assertThat(tokens.jwksFetches() - fetchesBefore).as("JWKS downloads in a burst of unknown kids").isLessThan(3);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> call("GET", "/api/database-dump", afterRotation).statusCode() == 200);

        tokens.close();
        assertThat(call("GET", "/api/database-dump", afterRotation).statusCode()).as("cached key during an outage")
                .isEqualTo(200);
    }

    @Test
    void should_answer_async_requests_with_202_and_a_job_to_follow() throws Exception {
        start(Map.of());
        HttpResponse<String> accepted = call("POST", "/api/database-dump", Tokens.admin(), "Prefer", "respond-async");

        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/api/database-dump/jobs/[0-9a-f-]{36}");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> json(call("GET", location, Tokens.admin())).get("state").asText().equals("succeeded"));
        JsonNode job = json(call("GET", location, Tokens.admin()));
        assertThat(job.at("/progress/tables_done").asInt()).isEqualTo(1).isEqualTo(job.at("/progress/tables_total").asInt());
        assertThat(job.at("/progress/rows_done").asLong()).isEqualTo(2);
        assertThat(job.at("/summary/key").asText()).isIn(StoredDump.keys(s3.client(), bucket));
        assertThat(call("GET", "/api/database-dump/jobs/00000000-0000-0000-0000-000000000000", Tokens.admin())
                .statusCode()).isEqualTo(404);
    }

    @Test
    void should_refuse_a_second_dump_with_409_while_one_runs() throws Exception {
        start(Map.of());
        try (Connection holder = db.connect()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE matters IN ACCESS EXCLUSIVE MODE");
            }
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return call("POST", "/api/database-dump", Tokens.admin());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> db.dumpSessionsWaitingForALock() == 1);

            HttpResponse<String> second = call("POST", "/api/database-dump", Tokens.admin());
            holder.rollback();

            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(json(second).get("error").asText()).isEqualTo("dump_running");
            assertThat(first.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(StoredDump.keys(s3.client(), bucket)).hasSize(2);
    }

    @Test
    void should_verify_a_stored_dump_for_an_admin_and_refuse_keys_that_are_not_dumps() throws Exception {
        start(Map.of());
        String key = json(call("POST", "/api/database-dump", Tokens.admin())).get("key").asText();

        HttpResponse<String> latest = call("POST", "/api/database-dump/verify", Tokens.admin());
        HttpResponse<String> named = call("POST", "/api/database-dump/verify?key=" + key, Tokens.admin());

        assertThat(latest.statusCode()).as(latest.body()).isEqualTo(200);
        assertThat(json(latest).get("key").asText()).isEqualTo(key);
        assertThat(json(latest).get("ok").asBoolean()).isTrue();
        assertThat(json(named).at("/tables/matters/rows").asLong()).isEqualTo(2);
        assertThat(call("POST", "/api/database-dump/verify?key=../secrets.json", Tokens.admin()).statusCode())
                .isEqualTo(400);
        assertThat(call("POST", "/api/database-dump/verify?key=dumps/full-dump-20200101T000000.000Z.json",
                Tokens.admin()).statusCode()).isEqualTo(404);
        assertThat(call("POST", "/api/database-dump/verify", null).statusCode()).isEqualTo(401);
        assertThat(call("GET", "/api/database-dump/verify", Tokens.admin()).statusCode()).isEqualTo(405);
    }

    @Test
    void should_refuse_restores_over_http_unless_enabled() throws Exception {
        start(Map.of());
        json(call("POST", "/api/database-dump", Tokens.admin()));

        HttpResponse<String> refused = call("POST", "/api/database-dump/restore", Tokens.admin());

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).get("message").asText()).contains("dump.restore.http-enabled=true");
    }

    @Test
    void should_restore_as_a_job_with_progress_and_refuse_a_dump_meanwhile() throws Exception {
        try (dev.databasedump.support.TestDatabase target = dev.databasedump.support.TestDatabase.create()) {
            target.execute("CREATE TABLE matters (id int PRIMARY KEY, title text)");
            start(Map.of("dump.restore.http-enabled", "true", "dump.restore.db.url", target.url(),
                    "dump.restore.db.user", target.adminUser()));
            String key = json(call("POST", "/api/database-dump", Tokens.admin())).get("key").asText();
            HttpResponse<String> accepted;
            // The target's table is held: the restore waits, and a dump meanwhile is refused.
            try (Connection holder = target.connect()) {
                holder.setAutoCommit(false);
                try (Statement statement = holder.createStatement()) {
                    statement.execute("LOCK TABLE matters IN ACCESS EXCLUSIVE MODE");
                }
                accepted = call("POST", "/api/database-dump/restore?key=" + key, Tokens.admin());
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                assertThat(json(accepted).get("kind").asText()).isEqualTo("restore");

                HttpResponse<String> dumpMeanwhile = call("POST", "/api/database-dump", Tokens.admin());
                assertThat(dumpMeanwhile.statusCode()).isEqualTo(409);
                assertThat(json(dumpMeanwhile).get("message").asText()).contains("another dump or restore is running");
                holder.rollback();
            }
            String location = accepted.headers().firstValue("Location").orElseThrow();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !json(call("GET", location, Tokens.admin())).get("state").asText().equals("running"));
            JsonNode job = json(call("GET", location, Tokens.admin()));
            assertThat(job.get("state").asText()).as(job.toString()).isEqualTo("succeeded");
            assertThat(job.at("/summary/rows").asLong()).isEqualTo(2);
            assertThat(job.at("/progress/rows_done").asLong()).isEqualTo(2);
            assertThat(target.count("SELECT count(*) FROM matters")).isEqualTo(2);
        }
    }

    @Test
    void should_list_dumps_newest_first_and_hand_out_working_download_links() throws Exception {
        start(Map.of());
        String older = json(call("POST", "/api/database-dump", Tokens.admin())).get("key").asText();
        JsonNode newest = json(call("POST", "/api/database-dump", Tokens.admin()));
        s3.client().putObject(PutObjectRequest.builder().bucket(bucket).key("dumps/notes.txt").build(),
                RequestBody.fromString("someone else's object"));

        JsonNode listing = json(call("GET", "/api/database-dump", Tokens.admin()));
        assertThat(listing.get("dumps")).hasSize(2);
        assertThat(listing.at("/dumps/0/key").asText()).isEqualTo(newest.get("key").asText());
        assertThat(listing.at("/dumps/1/key").asText()).isEqualTo(older);
        assertThat(listing.at("/dumps/0/size_bytes").asLong()).isEqualTo(newest.get("size_bytes").asLong());

        HttpResponse<String> link = call("GET", "/api/database-dump/download?key="
                + newest.get("key").asText(), Tokens.admin());
        assertThat(link.statusCode()).isEqualTo(200);
        assertThat(Instant.parse(json(link).get("expires_at").asText()))
                .isBetween(Instant.now().plus(Duration.ofMinutes(14)), Instant.now().plus(Duration.ofMinutes(16)));
        HttpResponse<byte[]> downloaded = http.send(HttpRequest.newBuilder(URI.create(json(link).get("url").asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(downloaded.body())))
                .isEqualTo(newest.get("sha256").asText());

        for (String key : List.of("dumps/notes.txt", "other/full-dump-20260101T000000Z.json",
                "dumps/../dumps/full-dump-20260101T000000Z.json")) {
            assertThat(call("GET", "/api/database-dump/download?key=" + key.replace("/", "%2F"), Tokens.admin())
                    .statusCode()).as(key).isEqualTo(400);
        }
        assertThat(call("GET", "/api/database-dump/download", Tokens.admin()).statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/database-dump/download?key=dumps/full-dump-20200101T000000Z.json",
                Tokens.admin()).statusCode()).isEqualTo(404);
    }

    @Test
    void should_answer_wrong_methods_with_405_and_unknown_paths_with_404_in_json() throws Exception {
        start(Map.of());
        HttpResponse<String> wrongMethod = call("PUT", "/api/database-dump", Tokens.admin());
        HttpResponse<String> unknown = call("GET", "/api/database-dump/nope", Tokens.admin());

        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET, POST, OPTIONS");
        assertThat(unknown.statusCode()).isEqualTo(404);
        for (HttpResponse<String> response : List.of(wrongMethod, unknown)) {
            assertThat(TableNames.of(json(response))).containsExactly("error", "message");
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void should_not_let_request_headers_or_query_parameters_steer_the_dump() throws Exception {
        start(Map.of());
        String otherBucket = s3.createBucket();

        HttpResponse<String> response = call("POST", "/api/database-dump?CamelAwsS3Key=from-query.json&"
                + "CamelAwsS3BucketName=" + otherBucket, Tokens.admin(),
                "CamelAwsS3Key", "from-header.json", "CamelAwsS3BucketName", otherBucket);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("key").asText()).startsWith("dumps/full-dump-");
        assertThat(StoredDump.keys(s3.client(), bucket)).hasSize(2).noneMatch(key -> key.contains("from-"));
        assertThat(StoredDump.keys(s3.client(), otherBucket)).isEmpty();
    }

    @Test
    void should_answer_cors_preflight_for_the_admin_ui_origin_only() throws Exception {
        start(Map.of());
        HttpResponse<String> allowed = call("OPTIONS", "/api/database-dump", null, "Origin", UI_ORIGIN,
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization");
        HttpResponse<String> foreign = call("OPTIONS", "/api/database-dump", null, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST");
        HttpResponse<String> actual = call("GET", "/api/database-dump", Tokens.admin(), "Origin", UI_ORIGIN);

        assertThat(allowed.statusCode()).isEqualTo(204);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(UI_ORIGIN);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("")).contains("Authorization");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).contains(UI_ORIGIN);
    }

    @Test
    void should_report_health_without_authentication_or_details() throws Exception {
        start(Map.of());
        for (String path : List.of("/health", "/health/live", "/health/ready", "/health?exposureLevel=full&stackTrace=true")) {
            HttpResponse<String> response = call("GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    @Test
    void should_also_ask_the_database_when_an_admin_query_is_set() throws Exception {
        db.execute("CREATE TABLE user_roles (user_id text, role text)",
                "INSERT INTO user_roles VALUES ('confirmed-admin', 'admin')");
        start(Map.of("dump.auth.admin-query",
                "SELECT EXISTS (SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'admin')",
                "dump.exclude-tables", "user_roles"));

        String confirmed = Tokens.hs256(Tokens.claims("confirmed-admin", "admin").build(), Tokens.SECRET);
        String unconfirmed = Tokens.hs256(Tokens.claims("claims-only-admin", "admin").build(), Tokens.SECRET);

        assertThat(call("GET", "/api/database-dump", unconfirmed).statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/database-dump", confirmed).statusCode()).isEqualTo(200);
    }

    /** Field names of a JSON object, in order. */
    private static final class TableNames {
        static List<String> of(JsonNode node) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }
}
