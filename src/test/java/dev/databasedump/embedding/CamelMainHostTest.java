package dev.databasedump.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.storage.S3ClientFactory;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/** A Camel Main host configured as docs/embedding.md shows: our YAML from routes/, its own route, its own DataSource bean. */
class CamelMainHostTest {

    @Test
    void should_dump_through_the_hosts_yaml_route_with_the_hosts_data_source() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.createBucket();
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("CREATE TABLE matters (id int PRIMARY KEY)", "INSERT INTO matters VALUES (1), (2), (3)");
            Main main = new Main();
            main.setDefaultPropertyPlaceholderLocation("classpath:embedding/host-application.properties");
            // Only what differs on this machine from the example of docs/embedding.md.
            main.addOverrideProperty("camel.beans.appDataSource.url", db.url());
            main.addOverrideProperty("dump.s3.bucket", bucket);
            main.addOverrideProperty("dump.s3.endpoint", s3.endpoint().toString());
            main.addOverrideProperty("dump.s3.access-key", S3ProxyServer.ACCESS_KEY);
            main.addOverrideProperty("dump.s3.secret-key", S3ProxyServer.SECRET_KEY);
            main.start();
            try {
                String summary = main.getCamelContext().createProducerTemplate()
                        .requestBody("direct:nightly-backup", null, String.class);

                JsonNode parsed = StoredDump.EXACT_JSON.readTree(summary);
                assertThat(parsed.at("/metadata/tables_summary/matters/rows").asLong()).isEqualTo(3);
                assertThat(StoredDump.keys(s3.client(), bucket)).contains(parsed.get("key").asText());
                // The dump's route and the verify route beside it; no restore route without a restore target.
                assertThat(main.getCamelContext().getRoutes()).extracting(Route::getRouteId)
                        .containsExactlyInAnyOrder("nightly-backup", "database-dump", "database-verify");
            } finally {
                main.stop();
            }
        }
    }

    @Test
    void should_use_the_hosts_s3_client_named_by_dump_s3_client() throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.createBucket();
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("CREATE TABLE matters (id int PRIMARY KEY)");
            Main main = new Main();
            main.setDefaultPropertyPlaceholderLocation("classpath:embedding/host-application.properties");
            main.bind("hostS3", S3ClientFactory.create(s3.storage(bucket)));
            main.addOverrideProperty("camel.beans.appDataSource.url", db.url());
            main.addOverrideProperty("dump.s3.bucket", bucket);
            main.addOverrideProperty("dump.s3.client", "hostS3");
            // Were these used instead of the host's client, nothing would reach the store.
            main.addOverrideProperty("dump.s3.endpoint", "http://127.0.0.1:" + S3ProxyServer.freePort());
            main.start();
            try {
                String summary = main.getCamelContext().createProducerTemplate()
                        .requestBody("direct:nightly-backup", null, String.class);

                assertThat(StoredDump.keys(s3.client(), bucket))
                        .contains(StoredDump.EXACT_JSON.readTree(summary).get("key").asText());
            } finally {
                main.stop();
            }
        }
    }
}
