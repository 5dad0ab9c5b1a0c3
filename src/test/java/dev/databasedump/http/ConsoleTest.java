package dev.databasedump.http;

import static org.assertj.core.api.Assertions.assertThat;


import dev.databasedump.support.AdminApi;
import dev.databasedump.support.Browser;
import dev.databasedump.support.DumpIntegrationTest;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The admin console in a real browser (the system's Chromium, headless), against the real service, PostgreSQL and
 * S3Proxy: what a platform admin and a tenant admin do on it, what they are refused, and what the page never does
 * (run a tenant's id as markup, load anything from elsewhere, keep a token where it outlives the tab). With
 * -Dconsole.screenshots=docs/images it also draws the pictures the README and docs/console.md show.
 */
class ConsoleTest extends DumpIntegrationTest {

    private static Browser browser;
    private AdminApi api;
    private TestDatabase staging;

    @BeforeAll
    static void browser() {
        browser = Browser.start(1280);
    }

    @AfterAll
    static void closeBrowser() {
        browser.close();
    }

    @BeforeEach
    void schema() {
        browser.reset();
        db.executeScript("/tenants/legal-tenants.sql");
        // Enough rows that a full dump takes a few polls of the page to finish.
        db.execute("CREATE TABLE audit_log (id bigint PRIMARY KEY, tenant_id text REFERENCES tenants, at timestamptz,"
                + " what text)", "INSERT INTO audit_log SELECT g, (ARRAY['acme','globex','initech'])[1 + g % 3],"
                + " timestamptz '2026-01-01' + g * interval '1 second', repeat('w', 300)"
                + " FROM generate_series(1, 150000) g", "ANALYZE");
        staging = TestDatabase.create();
        staging.executeScript("/tenants/legal-tenants.sql");
        staging.executeScript("/tenants/without-acme.sql");
        staging.execute("CREATE TABLE audit_log (id bigint PRIMARY KEY, tenant_id text REFERENCES tenants,"
                + " at timestamptz, what text)");
    }

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
        staging.close();
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> settings = settings();
        settings.put("dump.tenant.column", "tenant_id");
        settings.put("dump.tenant.table", "tenants");
        settings.put("dump.restore.db.url", staging.url());
        settings.put("dump.restore.http-enabled", "true");
        settings.put("dump.parallelism", "1");
        settings.putAll(extra);
        api = AdminApi.start(settings);
    }

    // The standalone page, signed in with the token as a person pastes it.
    private void signIn(String token) {
        browser.open(api.base() + "/console/");
        browser.script("sessionStorage.clear()");
        browser.open(api.base() + "/console/");
        WebElement field = browser.find("#token");
        field.sendKeys(token);
        browser.find("form.sign-in button[type=submit]").click();
        browser.find("header.top");
    }

    @Test
    void should_let_a_platform_admin_start_a_full_dump_watch_it_move_and_end_then_download_and_verify_it()
            throws Exception {
        // A slow store: the dump takes a few seconds, as real ones do, so the page polls it running.
        try (dev.databasedump.support.CuttingProxy slow = new dev.databasedump.support.CuttingProxy(
                s3.endpoint().getPort(), (all, connection, chunk) -> false).delaying((all, connection, chunk) ->
                chunk.contains("partNumber="), 800)) {
            start(Map.of("dump.s3.endpoint", "http://127.0.0.1:" + slow.port()));
            platformAdminsDump();
        }
    }

    private void platformAdminsDump() throws Exception {
        signIn(Tokens.admin());

        browser.find("#start-full").click();
        Set<String> seen = new LinkedHashSet<>();
        browser.waitFor(() -> {
            browser.findAll("article.job.running p.figures").forEach(figures -> seen.add(figures.getText()));
            if (seen.size() == 2) {
                screenshot("console-running");
            }
            return browser.findAll("article.job.succeeded").isEmpty() ? null : true;
        });

        assertThat(seen).as("the progress the page showed while the dump ran").hasSizeGreaterThanOrEqualTo(2);
        WebElement row = browser.find("tr[data-key]");
        String key = row.getAttribute("data-key");
        assertThat(key).startsWith("dumps/full-dump-");
        assertThat(row.getText()).contains("18").contains("plain");
        row.findElement(By.xpath(".//button[text()='Download']")).click();
        String dumpUrl = browser.find("#download-dump").getAttribute("href");
        String checksumUrl = browser.find("#download-checksum").getAttribute("href");
        byte[] dump = get(dumpUrl);
        String checksum = new String(get(checksumUrl), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(checksum).startsWith(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(dump)));
        screenshot("console-dumps");

        browser.find("tr[data-key]").findElement(By.xpath(".//button[text()='Verify']")).click();
        assertThat(browser.waitFor(() -> browser.find("#verdict").getText())).startsWith("Verified: ");
        assertThat(browser.waitFor(() -> browser.find("tr[data-key] td.error, tr[data-key]").getText()))
                .contains("passed");
        screenshot("console-verified");
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void should_import_one_tenant_after_a_dry_run_only_once_its_id_is_typed() throws Exception {
        start(Map.of());
        String key = json(api.call("POST", "/api/database-dump?tenant=acme", Tokens.admin())).get("key").asText();
        signIn(Tokens.admin());
        browser.find("#restore-key").clear();
        browser.find("#restore-key").sendKeys(key);
        browser.find("#restore-tenant").sendKeys("acme");
        browser.find("#restore-dry-run").click();

        WebElement plan = browser.find("#tenant-import");
        assertThat(plan.getText()).contains("cases").contains("audit_log");
        assertThat(browser.find("#restore-outcome").getText()).startsWith("Dry run");
        assertThat(staging.count("SELECT count(*) FROM cases WHERE tenant_id = 'acme'")).isZero();
        WebElement run = browser.find("#restore-run");
        assertThat(run.isEnabled()).isFalse();
        browser.find("#restore-confirm").sendKeys("acm");
        assertThat(run.isEnabled()).as("not until the whole id is typed").isFalse();
        browser.find("#restore-confirm").sendKeys("e");
        screenshot("console-import");
        browser.waitFor(run::isEnabled);
        run.click();

        assertThat(browser.waitFor(() -> browser.find("#restore-outcome").getText())).startsWith("Restored");
        assertThat(staging.count("SELECT count(*) FROM cases WHERE tenant_id = 'acme'")).isEqualTo(2);
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void should_show_a_tenant_admin_their_own_tenant_only_and_let_them_dump_it() throws Exception {
        start(Map.of());
        api.call("POST", "/api/database-dump", Tokens.admin());
        api.call("POST", "/api/database-dump?tenant=globex", Tokens.admin());
        signIn(Tokens.tenantAdmin("acme-admin", "acme"));

        browser.find("#start-own").click();
        WebElement row = browser.find("tr[data-key]");
        assertThat(row.getAttribute("data-key")).startsWith("dumps/tenants/acme/");
        assertThat(browser.find("#dumps-title").getText()).isEqualTo("Dumps of tenant acme");
        assertThat(browser.findAll("tr[data-key]")).allMatch(dump -> dump.getAttribute("data-key")
                .startsWith("dumps/tenants/acme/"));
        assertThat(browser.findAll("#start-full, #start-tenant, #list-tenant-id, #restore-key, #schedule-title"))
                .as("nothing of full dumps, other tenants, verify or restore").isEmpty();
        assertThat(row.getText()).doesNotContain("Verify").doesNotContain("Restore");
        screenshot("console-tenant-admin");
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void should_bring_back_the_sign_in_with_the_servers_line_when_the_token_has_expired() throws Exception {
        start(Map.of());
        String expired = Tokens.hs256(Tokens.claims("admin-user", "admin")
                .expirationTime(new java.util.Date(System.currentTimeMillis() - 120_000)).build(), Tokens.SECRET);
        browser.open(api.base() + "/console/");
        browser.script("sessionStorage.clear()");
        browser.open(api.base() + "/console/");
        browser.find("#token").sendKeys(expired);
        browser.find("form.sign-in button[type=submit]").click();

        WebElement refusal = browser.waitFor(() -> browser.find("form.sign-in p.error"));
        assertThat(refusal.getText()).isEqualTo(json(api.call("GET", "/api/database-dump/me", expired)).get("message")
                .asText());
        assertThat(browser.script("return sessionStorage.getItem('database-dump-token')")).isNull();
        assertThat(browser.script("return window.localStorage.length + document.cookie.length")).isEqualTo(0L);
        assertThat(browser.consoleProblems(401)).isEmpty();
    }

    @Test
    void should_show_the_servers_line_where_a_403_and_a_409_happened() throws Exception {
        start(Map.of());
        signIn(Tokens.admin());
        try (java.sql.Connection held = db.holdExclusively("audit_log")) {
            browser.find("#start-full").click();
            browser.find("article.job.running");
            browser.find("#start-full").click();
            assertThat(browser.waitFor(() -> browser.find("section[aria-labelledby=jobs-title] p.error").getText()))
                    .isEqualTo(json(api.call("POST", "/api/database-dump", Tokens.admin())).get("message").asText());
            held.rollback();
        }
        browser.find("#restore-key").sendKeys(Keys.chord(Keys.CONTROL, "a"), "dumps/elsewhere.json");
        browser.find("#restore-tenant").sendKeys("acme");
        browser.find("#restore-dry-run").click();

        assertThat(browser.waitFor(() -> browser.find("section[aria-labelledby=restore-title] p.error").getText()))
                .contains("key must name a dump");
        assertThat(browser.consoleProblems(409, 400)).as("nothing but the refusals themselves").isEmpty();
    }

    @Test
    void should_serve_the_page_with_a_strict_policy_no_inline_script_and_nothing_from_elsewhere() throws Exception {
        start(Map.of());
        HttpResponse<String> page = api.call("GET", "/console/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy -> assertThat(policy)
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'")
                .doesNotContain("unsafe"));
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-cache");
        String etag = page.headers().firstValue("ETag").orElseThrow();
        assertThat(api.call("GET", "/console/", null, "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("style=")
                .doesNotContain("http://").doesNotContain("https://");
        for (String file : List.of("console.js", "api.js", "dom.js", "format.js", "views/jobs.js", "views/dumps.js",
                "views/restore.js", "views/report.js", "views/schedule.js", "views/signin.js", "console.css")) {
            HttpResponse<String> served = api.call("GET", "/console/" + file, null);
            assertThat(served.statusCode()).as(file).isEqualTo(200);
            assertThat(served.body().replace("'http://www.w3.org/2000/svg'", "")).as(file + " loads nothing from"
                    + " another host").doesNotContain("http://", "https://")
                    .doesNotContain("innerHTML").doesNotContain("localStorage.setItem");
        }
        assertThat(api.call("GET", "/console/../application.properties", null).statusCode()).isEqualTo(404);
        signIn(Tokens.admin());
        browser.find("tr[data-key], #dumps-title");
        assertThat(browser.consoleProblems()).as("a policy violation would be logged here").isEmpty();
    }

    @Test
    void should_show_a_hostile_tenant_id_as_text_and_run_nothing() throws Exception {
        String hostile = "<img src=x onerror=alert(1)>";
        db.execute("INSERT INTO tenants VALUES ('" + hostile + "', 'Hostile')",
                "INSERT INTO clients VALUES (99, '" + hostile + "', 'h', 'H-1')");
        start(Map.of());
        signIn(Tokens.admin());

        browser.find("#start-tenant-id").sendKeys(hostile);
        browser.find("#start-tenant").click();
        WebElement job = browser.find("article.job.succeeded h3");
        browser.find("#list-tenant-id").sendKeys(hostile);
        browser.find("#list-dumps").click();

        assertThat(job.getText()).isEqualTo("Dump of tenant " + hostile + ": done");
        assertThat(browser.waitFor(() -> browser.find("#dumps-title").getText())).isEqualTo("Dumps of tenant " + hostile);
        assertThat(browser.findAll("img")).as("no element was made of the id").isEmpty();
        assertThat(browser.script("try { return document.querySelector('database-dump-console').shadowRoot"
                + ".querySelectorAll('img').length; } catch (e) { return -1; }")).isEqualTo(0L);
        assertThat(browser.consoleProblems()).as("no alert, no failed image load").isEmpty();
    }

    @Test
    void should_run_the_main_flow_by_keyboard_alone() throws Exception {
        start(Map.of());
        browser.open(api.base() + "/console/");
        browser.script("sessionStorage.clear()");
        browser.open(api.base() + "/console/");
        browser.find("#token");
        Actions keys = new Actions(browser.driver());
        // The field has the focus: type, Enter signs in.
        keys.sendKeys(Tokens.admin()).sendKeys(Keys.ENTER).perform();
        browser.find("header.top");
        // Tab from the top of the page to the start button, and press it.
        WebElement start = browser.find("#start-full");
        for (int i = 0; i < 10 && !start.equals(browser.script(
                "return document.querySelector('database-dump-console').shadowRoot.activeElement")); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertThat(browser.script("return document.querySelector('database-dump-console').shadowRoot.activeElement"
                + ".id")).isEqualTo("start-full");
        assertThat(browser.script("const e = document.querySelector('database-dump-console').shadowRoot.activeElement;"
                + " return getComputedStyle(e).outlineStyle")).as("focus is visible").isNotEqualTo("none");
        keys.sendKeys(Keys.ENTER).perform();

        browser.find("article.job.succeeded");
        WebElement download = browser.find("tr[data-key] button");
        assertThat(download.getText()).isEqualTo("Download");
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void should_work_embedded_in_a_host_page_on_another_origin_with_the_hosts_token() throws Exception {
        try (HostPage host = new HostPage()) {
            start(Map.of("dump.http.cors-origins", host.origin()));
            api.call("POST", "/api/database-dump", Tokens.admin());
            host.serve(api.base(), Tokens.admin());

            browser.open(host.origin() + "/admin.html");

            assertThat(browser.find("#dumps-title").getText()).isEqualTo("Full dumps");
            assertThat(browser.find("tr[data-key]").getAttribute("data-key")).startsWith("dumps/full-dump-");
            assertThat(browser.findAll("#token")).as("the host gives the token: no sign-in").isEmpty();
            assertThat(browser.consoleProblems()).isEmpty();
        }
    }

    @Test
    void should_be_readable_on_a_phone() throws Exception {
        start(Map.of());
        api.call("POST", "/api/database-dump", Tokens.admin());
        try {
            browser.resize(375, 800);
            signIn(Tokens.admin());
            browser.find("tr[data-key]");

            assertThat(browser.script("return window.innerWidth")).isEqualTo(375L);
            assertThat(browser.script("return document.documentElement.scrollWidth"
                    + " - document.documentElement.clientWidth")).as("no sideways scrolling").isEqualTo(0L);
            screenshot("console-phone");
        } finally {
            browser.resize(1280, 1000);
        }
    }

    private byte[] get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private static com.fasterxml.jackson.databind.JsonNode json(HttpResponse<String> response) throws Exception {
        return StoredDump.EXACT_JSON.readTree(response.body());
    }

    private static void screenshot(String name) {
        String folder = System.getProperty("console.screenshots");
        if (folder != null) {
            try {
                Files.createDirectories(Path.of(folder));
                Files.write(Path.of(folder, name + ".png"), browser.screenshot());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** An admin UI of the host's own, on another origin, that embeds the console with its session's token. */
    private static final class HostPage implements AutoCloseable {

        private final com.sun.net.httpserver.HttpServer server;

        HostPage() throws Exception {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.start();
        }

        String origin() {
            return "http://localhost:" + server.getAddress().getPort();
        }

        void serve(String service, String token) {
            String page = """
                    <!doctype html><html><head><title>Host admin</title><link rel="icon" href="data:,">
                    <script type="module" src="SERVICE/console/console.js"></script>
                    <script type="module" src="/host.js"></script></head>
                    <body><h1>Host admin UI</h1><database-dump-console api="SERVICE/"></database-dump-console>
                    </body></html>""".replace("SERVICE", service);
            String script = "document.querySelector('database-dump-console').accessToken = async () => 'TOKEN';"
                    .replace("TOKEN", token);
            server.createContext("/admin.html", exchange -> answer(exchange, "text/html", page));
            server.createContext("/host.js", exchange -> answer(exchange, "text/javascript", script));
        }

        private static void answer(com.sun.net.httpserver.HttpExchange exchange, String type, String body)
                throws java.io.IOException {
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            exchange.sendResponseHeaders(200, bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
