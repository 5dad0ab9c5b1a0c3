package dev.databasedump.rounds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.databasedump.http.TestTokens;
import dev.databasedump.storage.DumpKeys;
import dev.databasedump.support.AdminApi;
import dev.databasedump.support.CapturedLogs;
import dev.databasedump.support.CuttingProxy;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.Scrape;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/** Rounds of tenant dumps on real PostgreSQL and S3Proxy, one replica or two in this JVM. */
class TenantRoundsTest extends DumpIntegrationTest {

    /** Firms 1 to {@code firms}, each with matters (tenant_id) and notes (through the matters). */
    void firms(int firms, int mattersPerFirm) {
        db.execute("CREATE TABLE firms (id int PRIMARY KEY, name text)",
                "CREATE TABLE matters (id int PRIMARY KEY, tenant_id int NOT NULL REFERENCES firms, title text)",
                "CREATE INDEX ON matters (tenant_id)",
                "CREATE TABLE notes (id int PRIMARY KEY, matter_id int NOT NULL REFERENCES matters, body text)",
                "CREATE INDEX ON notes (matter_id)",
                "INSERT INTO firms SELECT f, 'Firm ' || f FROM generate_series(1, " + firms + ") f",
                "INSERT INTO matters SELECT m, 1 + m % " + firms + ", 'Matter ' || m FROM generate_series(1, "
                        + firms * mattersPerFirm + ") m",
                "INSERT INTO notes SELECT m, m, 'Note ' || m FROM generate_series(1, " + firms * mattersPerFirm
                        + ") m");
    }

    Map<String, String> rounds() {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("dump.tenant.column", "tenant_id");
        settings.put("dump.tenant.table", "firms");
        settings.put("dump.tenant.schedule.enabled", "true");
        // Daily periods whose boundary is twelve hours away: no round here is cut short by its period's end.
        settings.put("dump.tenant.schedule.period", "24h");
        settings.put("dump.tenant.schedule.time", java.time.LocalTime.now(java.time.ZoneOffset.UTC).plusHours(12)
                .withSecond(0).withNano(0).toString());
        return settings;
    }

    /** Each tenant's dumps in the bucket: tenant -> keys, oldest first. */
    Map<String, List<String>> tenantDumps() {
        return StoredDump.keys(s3.client(), bucket).stream()
                .filter(key -> key.startsWith("dumps/tenants/") && key.endsWith(".json")
                        && !key.endsWith(".verify.json"))
                .sorted()
                .collect(Collectors.groupingBy(key -> key.split("/")[2], TreeMap::new, Collectors.toList()));
    }

    static JsonNode report(DumpApplication replica) throws Exception {
        TenantRounds rounds = replica.context().getRegistry().lookupByNameAndType("tenantRounds", TenantRounds.class);
        return StoredDump.EXACT_JSON.readTree(rounds.current());
    }

    static boolean finished(DumpApplication replica) throws Exception {
        return "finished".equals(report(replica).path("state").asText());
    }

    @Test
    void should_dump_every_tenant_of_the_tenant_table_once_as_its_own_dump_would() throws Exception {
        firms(6, 10);
        Map<String, JsonNode> byRound = new TreeMap<>();
        try (DumpApplication replica = DumpApplication.start(rounds())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> finished(replica));
            JsonNode report = report(replica);
            assertThat(report.get("tenants").asInt()).isEqualTo(6);
            assertThat(report.get("done").asInt()).isEqualTo(6);
            assertThat(report.get("failed").asInt()).isZero();
            for (Map.Entry<String, List<String>> tenant : tenantDumps().entrySet()) {
                assertThat(tenant.getValue()).hasSize(1);
                byRound.put(tenant.getKey(), StoredDump.download(s3.client(), bucket, tenant.getValue().get(0))
                        .document());
            }
            assertThat(byRound.keySet()).containsExactly("1", "2", "3", "4", "5", "6");
            // Nothing changed since: each tenant's own dump now holds what the round's did.
            for (String tenant : byRound.keySet()) {
                JsonNode own = StoredDump.download(s3.client(), bucket, keyOf(replica.dump(tenant))).document();
                assertThat(comparable(byRound.get(tenant))).as("tenant %s", tenant).isEqualTo(comparable(own));
            }
        }
        assertThat(byRound.get("3").at("/metadata/triggered_by").asText()).isEqualTo("tenant-round");
        assertThat(byRound.get("3").at("/data/matters")).hasSize(10);
        assertThat(byRound.get("3").at("/data/notes")).hasSize(10);
    }

    @Test
    void should_take_the_tenants_from_the_tenant_column_or_the_platforms_query_and_new_ones_the_next_period()
            throws Exception {
        firms(4, 3);
        Map<String, String> byColumn = rounds();
        byColumn.put("dump.tenant.table", "");
        byColumn.put("dump.tenant.schedule.period", "4s");
        try (DumpApplication replica = DumpApplication.start(byColumn)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> tenantDumps().keySet().equals(Set.of("1", "2", "3",
                    "4")));

            db.execute("INSERT INTO firms VALUES (5, 'Firm 5')", "INSERT INTO matters VALUES (1000, 5, 'new')");

            await().atMost(Duration.ofSeconds(30)).until(() -> tenantDumps().containsKey("5")
                    && tenantDumps().get("1").size() >= 2);
        }
        // Once a period: no tenant has two dumps taken in the same 4 s period.
        tenantDumps().forEach((tenant, keys) -> assertThat(keys.stream().map(key -> DumpKeys.timestampOf(
                key.substring(key.lastIndexOf("tenant-dump-") + 12, key.length() - 5)).toEpochMilli() / 4000))
                .as("periods of tenant %s's dumps", tenant).doesNotHaveDuplicates());

        Map<String, String> byQuery = rounds();
        byQuery.put("dump.tenant.schedule.tenants-query", "SELECT id FROM firms WHERE id % 2 = 0");
        byQuery.put("dump.s3.prefix", "by-query/");
        try (DumpApplication replica = DumpApplication.start(byQuery)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> finished(replica));
            assertThat(report(replica).get("tenants").asInt()).isEqualTo(2);
            assertThat(StoredDump.keys(s3.client(), bucket).stream().filter(key -> key.startsWith("by-query/")
                    && key.endsWith(".json")).map(key -> key.split("/")[2]).sorted().toList())
                    .containsExactly("2", "4");
        }
    }

    @Test
    void should_share_a_round_between_two_replicas_dumping_each_tenant_once() throws Exception {
        firms(30, 2);
        try (DumpApplication first = DumpApplication.start(rounds());
             DumpApplication second = DumpApplication.start(rounds())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> finished(first) && finished(second));
            JsonNode a = report(first);
            JsonNode b = report(second);

            assertThat(tenantDumps()).hasSize(30).allSatisfy((tenant, keys) -> assertThat(keys).hasSize(1));
            assertThat(a.get("done").asInt() + b.get("done").asInt()).isEqualTo(30);
            assertThat(a.get("done").asInt() + a.get("skipped").asInt()).isEqualTo(30);
            assertThat(b.get("done").asInt() + b.get("skipped").asInt()).isEqualTo(30);
            assertThat(a.get("done").asInt()).as("both took a share").isPositive();
            assertThat(b.get("done").asInt()).as("both took a share").isPositive();
        }
    }

    @Test
    void should_leave_the_tenants_of_a_replica_killed_mid_round_to_the_others_and_sweep_what_it_left()
            throws Exception {
        // Three tenants of about 12 MB of JSON each: several parts, which the store takes a long time to accept.
        db.execute("CREATE TABLE firms (id int PRIMARY KEY)", "INSERT INTO firms VALUES (1), (2), (3)",
                "CREATE TABLE events (id int PRIMARY KEY, tenant_id int NOT NULL REFERENCES firms, v text)",
                "CREATE INDEX ON events (tenant_id)",
                "INSERT INTO events SELECT g, 1 + g % 3, repeat('e', 300) FROM generate_series(1, 120000) g");
        java.nio.file.Path spool = java.nio.file.Files.createDirectory(tmp.resolve("spool"));
        java.nio.file.Path work = java.nio.file.Files.createDirectory(tmp.resolve("work"));
        Map<String, String> settings = rounds();
        settings.put("dump.tmp-dir", spool.toString());
        try (CuttingProxy slow = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                .delaying((all, connection, chunk) -> chunk.contains("partNumber="), 30_000)) {
            Map<String, String> killed = new HashMap<>(settings);
            killed.put("dump.s3.endpoint", "http://127.0.0.1:" + slow.port());
            killed.put("dump.tenant.max-concurrent", "1");
            Process replica = dev.databasedump.support.ChildApplication.start(
                    dev.databasedump.support.ChildApplication.environmentOf(killed), null, work);
            await().atMost(Duration.ofSeconds(60)).until(() -> StoredDump.openMultipartUploads(s3.client(), bucket)
                    == 1 && db.count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = "
                    + Integer.toUnsignedLong(0x44554d52)) == 1);
            replica.destroyForcibly();
            assertThat(replica.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // Its upload counts as stale once the instant its key names is more than dump.cleanup.stale-after ago.
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> true);
        settings.put("dump.cleanup.stale-after", "1s");
        try (DumpApplication other = DumpApplication.start(settings)) {
            await().atMost(Duration.ofSeconds(90)).until(() -> finished(other));

            assertThat(report(other).get("done").asInt()).isEqualTo(3);
        }
        assertThat(tenantDumps()).hasSize(3).allSatisfy((tenant, keys) -> assertThat(keys).hasSize(1));
        assertThat(StoredDump.openMultipartUploads(s3.client(), bucket)).as("open uploads").isZero();
        try (var files = java.nio.file.Files.list(spool)) {
            assertThat(files.toList()).as("temporary files").isEmpty();
        }
    }

    @Test
    void should_try_a_failing_tenant_once_more_then_report_it_in_one_notice_while_the_others_are_dumped()
            throws Exception {
        firms(5, 2);
        // A matter of firm 2 whose note is filed under a matter of firm 3: firm 2's dump would leak firm 3's row.
        db.execute("ALTER TABLE notes ADD COLUMN tenant_id int REFERENCES firms",
                "UPDATE notes SET tenant_id = m.tenant_id FROM matters m WHERE m.id = notes.matter_id",
                "UPDATE notes SET matter_id = (SELECT min(id) FROM matters WHERE tenant_id = 3)"
                        + " WHERE id = (SELECT min(id) FROM matters WHERE tenant_id = 2)");
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        Map<String, String> settings = rounds();
        settings.put("dump.notify.webhook-url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        settings.put("dump.metrics.enabled", "true");
        try (CapturedLogs logs = new CapturedLogs(); AdminApi api = AdminApi.start(settings)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> roundOf(api).path("state").asText()
                    .equals("finished"));
            JsonNode report = roundOf(api);
            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            Scrape scrape = new Scrape(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.base()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body());

            assertThat(report.get("done").asInt()).isEqualTo(4);
            assertThat(report.get("failed").asInt()).isEqualTo(1);
            assertThat(report.at("/failures/0/tenant").asText()).isEqualTo("2");
            assertThat(report.at("/failures/0/error").asText()).contains("references another tenant's row");
            assertThat(tenantDumps().keySet()).containsExactly("1", "3", "4", "5");
            assertThat(logs.text()).containsOnlyOnce("tenant 2 failed, to be tried again")
                    .containsOnlyOnce("tenant 2 failed twice")
                    .containsPattern("Tenant round \\w+ of the period from \\S+ finished: 5 tenants, 4 dumped here, 0"
                            + " dumped already, 1 failed");
            await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
            assertThat(received).as("one notice for the round, none per tenant").hasSize(1);
            JsonNode notice = StoredDump.EXACT_JSON.readTree(received.get(0));
            assertThat(notice.get("event").asText()).isEqualTo("tenant-round.failed");
            assertThat(notice.at("/round/failures/0/tenant").asText()).isEqualTo("2");
            assertThat(scrape.get("database_dump_tenant_round_tenants", "database", db.name())).isEqualTo(5);
            assertThat(scrape.get("database_dump_tenant_round_done", "database", db.name())).isEqualTo(4);
            assertThat(scrape.get("database_dump_tenant_round_failed", "database", db.name())).isEqualTo(1);
            assertThat(scrape.get("database_dump_tenant_round_end_timestamp_seconds", "database", db.name()))
                    .isPositive();
            // Firm 2 was never dumped: its last success counts from when the round first listed it.
            assertThat(scrape.get("database_dump_tenant_oldest_success_timestamp_seconds", "database", db.name()))
                    .isCloseTo(report.at("/started_at").asText().isEmpty() ? 0 : java.time.Instant.parse(
                            report.get("started_at").asText()).toEpochMilli() / 1000.0,
                            org.assertj.core.data.Offset.offset(5.0));
        } finally {
            receiver.stop(0);
        }
    }

    @Test
    void should_let_full_dumps_requests_and_restores_run_during_a_round_and_wait_for_its_dump_of_the_same_tenant()
            throws Exception {
        // Firm 1 about 12 MB of JSON, in parts the store takes three seconds each to accept.
        String schema = "CREATE TABLE firms (id int PRIMARY KEY);"
                + "CREATE TABLE events (id int PRIMARY KEY, tenant_id int NOT NULL REFERENCES firms, v text);"
                + "CREATE INDEX ON events (tenant_id)";
        db.execute(schema.split(";"));
        db.execute("INSERT INTO firms SELECT generate_series(1, 4)",
                "INSERT INTO events SELECT g, CASE WHEN g <= 40000 THEN 1 ELSE 2 + g % 3 END, repeat('e', 300)"
                        + " FROM generate_series(1, 40030) g");
        try (TestDatabase target = TestDatabase.create();
             CuttingProxy slow = new CuttingProxy(s3.endpoint().getPort(), (all, connection, chunk) -> false)
                     .delaying((all, connection, chunk) -> chunk.contains("partNumber="), 3_000)) {
            target.execute(schema.split(";"));
            Map<String, String> settings = rounds();
            settings.put("dump.s3.endpoint", "http://127.0.0.1:" + slow.port());
            settings.put("dump.restore.db.url", target.url());
            settings.put("dump.restore.db.user", target.adminUser());
            settings.put("dump.restore.http-enabled", "true");
            try (AdminApi api = AdminApi.start(settings)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> roundOf(api).path("dumping").toString()
                        .contains("\"1\""));

                CompletableFuture<HttpResponse<String>> sameTenant = CompletableFuture.supplyAsync(() -> call(api,
                        "POST", "/api/database-dump?tenant=1"));
                HttpResponse<String> full = call(api, "POST", "/api/database-dump");
                HttpResponse<String> other = call(api, "POST", "/api/database-dump?tenant=2");
                HttpResponse<String> restore = call(api, "POST", "/api/database-dump/restore?key="
                        + StoredDump.EXACT_JSON.readTree(full.body()).get("key").asText());

                assertThat(full.statusCode()).as(full.body()).isEqualTo(200);
                assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
                assertThat(restore.statusCode()).as(restore.body()).isEqualTo(202);
                String job = restore.headers().firstValue("Location").orElseThrow();
                await().atMost(Duration.ofSeconds(60)).until(() -> !call(api, "GET", job).body()
                        .contains("\"running\""));
                assertThat(call(api, "GET", job).body()).contains("\"succeeded\"");
                assertThat(sameTenant.get(60, TimeUnit.SECONDS).statusCode()).as("waited for the round's dump")
                        .isEqualTo(200);
                await().atMost(Duration.ofSeconds(60)).until(() -> roundOf(api).path("state").asText()
                        .equals("finished"));
            }
            assertThat(target.count("SELECT count(*) FROM events")).isEqualTo(40030);
        }
        assertThat(tenantDumps().get("1")).as("the round's and the request's").hasSize(2);
    }

    @Test
    void should_keep_each_tenants_newest_and_the_dumps_of_tenants_no_longer_listed_until_their_max_age()
            throws Exception {
        firms(2, 1);
        put("dumps/tenants/1/tenant-dump-20200101T000000.000Z.json");
        put("dumps/tenants/1/tenant-dump-20200101T000000.000Z.json.sha256");
        String gone = "dumps/tenants/9/tenant-dump-20200101T000000.000Z.json";
        String recent = "dumps/tenants/9/tenant-dump-" + java.time.format.DateTimeFormatter
                .ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now().minus(Duration.ofDays(3))) + ".json";
        put(gone);
        put(gone + ".sha256");
        put(recent);
        Map<String, String> settings = rounds();
        settings.put("dump.retention.keep-last", "1");
        settings.put("dump.retention.max-age", "30d");
        try (DumpApplication replica = DumpApplication.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> finished(replica));
        }

        List<String> keys = StoredDump.keys(s3.client(), bucket);
        assertThat(tenantDumps().get("1")).hasSize(1).noneMatch(key -> key.contains("2020"));
        assertThat(keys).contains(recent).doesNotContain(gone, gone + ".sha256");
        assertThat(tenantDumps().get("2")).hasSize(1);
    }

    @Test
    void should_say_where_the_round_stands_to_platform_admins_only() throws Exception {
        firms(2, 1);
        try (AdminApi api = AdminApi.start(rounds())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> roundOf(api).path("state").asText()
                    .equals("finished"));
            JsonNode report = roundOf(api);
            assertThat(report.get("period_start").asText()).endsWith(":00Z");
            assertThat(report.get("tenants").asInt()).isEqualTo(2);
            assertThat(api.call("GET", "/api/database-dump/tenant-rounds/current", TestTokens.tenantAdmin("1"))
                    .statusCode()).isEqualTo(403);
        }
        Map<String, String> off = rounds();
        off.put("dump.tenant.schedule.enabled", "false");
        try (AdminApi api = AdminApi.start(off)) {
            HttpResponse<String> answer = api.call("GET", "/api/database-dump/tenant-rounds/current",
                    TestTokens.admin());
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.body()).contains("tenant_rounds_off");
        }
    }

    @Test
    void should_end_a_round_whose_list_cannot_be_read_in_one_line_and_dump_nothing() throws Exception {
        firms(2, 1);
        Map<String, String> settings = rounds();
        settings.put("dump.tenant.schedule.tenants-query", "SELECT id FROM customers WHERE active");
        try (CapturedLogs logs = new CapturedLogs(); DumpApplication replica = DumpApplication.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> report(replica).path("state").asText()
                    .equals("failed"));

            assertThat(report(replica).get("error").asText()).startsWith("listing the round's tenants failed: ")
                    .contains("relation \"customers\" does not exist").doesNotContain("\n");
            assertThat(logs.text()).containsPattern("Tenant round \\w+ failed: listing the round's tenants failed");
        }
        assertThat(tenantDumps()).isEmpty();
    }

    private void put(String key) {
        s3.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("{}"));
    }

    static JsonNode roundOf(AdminApi api) throws Exception {
        HttpResponse<String> answer = api.call("GET", "/api/database-dump/tenant-rounds/current", TestTokens.admin());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return StoredDump.EXACT_JSON.readTree(answer.body());
    }

    static HttpResponse<String> call(AdminApi api, String method, String path) {
        try {
            return api.call(method, path, TestTokens.admin());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String keyOf(String summary) throws Exception {
        return StoredDump.EXACT_JSON.readTree(summary).get("key").asText();
    }

    // All but when it was taken, how long it took and who asked.
    static JsonNode comparable(JsonNode document) {
        ObjectNode copy = document.deepCopy();
        ((ObjectNode) copy.get("metadata")).remove(List.of("exported_at", "duration_ms", "triggered_by"));
        return copy;
    }
}
