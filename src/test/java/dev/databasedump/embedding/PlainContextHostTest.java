package dev.databasedump.embedding;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.DatabaseDump;
import dev.databasedump.database.PostgresDataSources;
import dev.databasedump.pipeline.DumpFailedException;
import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.settings.DatabaseSettings;
import dev.databasedump.storage.S3ClientFactory;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.Scrape;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Map;
import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.aws2.s3.AWS2S3Component;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** A host with a plain DefaultCamelContext, its own routes and its own aws2-s3 setup embeds the dump. */
class PlainContextHostTest {

    private final S3ProxyServer s3 = S3ProxyServer.get();
    private TestDatabase db;
    private String bucket;

    @BeforeEach
    void hostDatabaseAndBucket() {
        db = TestDatabase.create();
        db.execute("CREATE TABLE invoices (id int PRIMARY KEY, total numeric)",
                "INSERT INTO invoices VALUES (1, 10.50), (2, 20.25)");
        bucket = s3.createBucket();
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    @Test
    void should_run_a_dump_from_the_hosts_route_and_leave_its_components_and_registry_alone() throws Exception {
        DataSource hostDataSource = PostgresDataSources.create(new DatabaseSettings(db.url(), db.adminUser(), ""));
        S3Client backupS3Client = S3ClientFactory.create(s3.storage(bucket));
        CamelContext context = new DefaultCamelContext();
        // The host's own aws2-s3 setup, which the dump must not touch.
        AWS2S3Component hostS3Component = context.getComponent("aws2-s3", AWS2S3Component.class);
        hostS3Component.getConfiguration().setRegion("eu-west-1");
        hostS3Component.getConfiguration().setUseDefaultCredentialsProvider(true);

        // readme:java:begin
        context.getRegistry().bind("backupS3", backupS3Client);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(DumpFailedException.class).handled(true)
                        .setBody(simple("backup failed: ${exception.message}"));
                from("direct:nightly-backup").to("direct:database-dump");
            }
        });
        DatabaseDump.builder()
                .settings(Map.of("dump.s3.bucket", bucket, "dump.schemas", "public"))
                .dataSource(hostDataSource)
                .s3Client("backupS3")
                .addTo(context);
        context.start();
        String summary = context.createProducerTemplate().requestBody("direct:nightly-backup", null, String.class);
        // readme:java:end

        try {
            JsonNode parsed = StoredDump.EXACT_JSON.readTree(summary);
            assertThat(parsed.at("/metadata/total_rows").asLong()).isEqualTo(2);
            StoredDump stored = StoredDump.download(backupS3Client, bucket, parsed.get("key").asText());
            assertThat(stored.document().at("/data/invoices/1/total").decimalValue()).isEqualByComparingTo("20.25");

            assertThat(hostS3Component.getConfiguration().getRegion()).isEqualTo("eu-west-1");
            assertThat(hostS3Component.getConfiguration().isUseDefaultCredentialsProvider()).isTrue();
            assertThat(hostS3Component.getConfiguration().getAmazonS3Client()).isNull();
            assertThat(context.getRegistry().findByType(S3Client.class)).containsExactly(backupS3Client);
            assertThat(context.getRegistry().findByType(DumpPipeline.class)).isEmpty();
            assertThat(context.getRegistry().findByType(DataSource.class)).isEmpty();
        } finally {
            context.stop();
        }
    }

    @Test
    void should_count_the_hosts_dumps_in_the_meter_registry_it_names() throws Exception {
        DataSource hostDataSource = PostgresDataSources.create(new DatabaseSettings(db.url(), db.adminUser(), ""));
        PrometheusMeterRegistry hostRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("hostMetrics", hostRegistry);
        DatabaseDump.builder()
                .settings(Map.of("dump.s3.bucket", bucket))
                .dataSource(hostDataSource)
                .s3Client(S3ClientFactory.create(s3.storage(bucket)))
                .meterRegistry("hostMetrics")
                .addTo(context);
        context.start();
        try {
            context.createProducerTemplate().requestBody("direct:database-dump", null, String.class);

            // The database label comes from the host's DataSource itself.
            Scrape scrape = new Scrape(hostRegistry.scrape());
            assertThat(scrape.get("database_dump_runs_total", "database", db.name(), "trigger", "embedded",
                    "outcome", "success")).isEqualTo(1);
            assertThat(scrape.get("database_dump_last_success_rows", "database", db.name())).isEqualTo(2);
            assertThat(context.getRegistry().findByType(io.micrometer.core.instrument.MeterRegistry.class))
                    .containsExactly(hostRegistry);
        } finally {
            context.stop();
        }
    }

    @Test
    void should_verify_and_restore_through_routes_beside_the_dump_with_the_hosts_beans() throws Exception {
        try (TestDatabase staging = TestDatabase.create()) {
            staging.execute("CREATE TABLE invoices (id int PRIMARY KEY, total numeric)");
            DataSource hostDataSource = PostgresDataSources.create(new DatabaseSettings(db.url(), db.adminUser(), ""));
            DataSource stagingDataSource = PostgresDataSources.create(
                    new DatabaseSettings(staging.url(), staging.adminUser(), ""));
            S3Client backupS3Client = S3ClientFactory.create(s3.storage(bucket));
            CamelContext context = new DefaultCamelContext();
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(DumpFailedException.class).handled(true)
                            .setBody(simple("restore failed: ${exception.message}"));
                    from("direct:refresh-staging").to("direct:database-restore");
                }
            });
            DatabaseDump.builder()
                    .settings(Map.of("dump.s3.bucket", bucket))
                    .dataSource(hostDataSource)
                    .restoreDataSource(stagingDataSource)
                    .s3Client(backupS3Client)
                    .addTo(context);
            context.start();
            try {
                var template = context.createProducerTemplate();
                String key = StoredDump.EXACT_JSON.readTree(template.requestBody("direct:database-dump", null,
                        String.class)).get("key").asText();

                JsonNode report = StoredDump.EXACT_JSON.readTree(template.requestBody("direct:database-verify",
                        "latest", String.class));
                JsonNode restored = StoredDump.EXACT_JSON.readTree(template.requestBody("direct:refresh-staging", key,
                        String.class));
                String again = template.requestBody("direct:refresh-staging", key, String.class);

                assertThat(report.get("ok").asBoolean()).isTrue();
                assertThat(report.get("key").asText()).isEqualTo(key);
                assertThat(restored.get("rows").asLong()).isEqualTo(2);
                assertThat(staging.count("SELECT count(*) FROM invoices")).isEqualTo(2);
                assertThat(again).startsWith("restore failed: the target's tables must be empty")
                        .doesNotContain("\n");
                assertThat(context.getRegistry().findByType(DataSource.class)).isEmpty();
                assertThat(context.getRegistry().findByType(S3Client.class)).isEmpty();
            } finally {
                context.stop();
                backupS3Client.close();
            }
        }
    }

    @Test
    void should_surface_a_failed_dump_as_an_exception_the_hosts_error_handling_catches() throws Exception {
        DataSource unreachable = PostgresDataSources.create(new DatabaseSettings(
                "jdbc:postgresql://127.0.0.1:" + S3ProxyServer.freePort() + "/app", "postgres", ""));
        CamelContext context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(DumpFailedException.class).handled(true)
                        .setBody(simple("backup failed: ${exception.message}"));
                from("direct:nightly-backup").to("direct:database-dump");
                from("direct:other-backup").to("direct:other-dump");
            }
        });
        Map<String, String> settings = Map.of("dump.s3.bucket", bucket, "dump.s3.endpoint", s3.endpoint().toString(),
                "dump.s3.path-style", "true", "dump.s3.access-key", S3ProxyServer.ACCESS_KEY,
                "dump.s3.secret-key", S3ProxyServer.SECRET_KEY);
        DatabaseDump.builder().settings(settings).dataSource(unreachable).addTo(context);
        // A second dump route in the same context, with beans of its own.
        DatabaseDump.builder().routeId("other-dump").entry("direct:other-dump").settings(settings)
                .dataSource(PostgresDataSources.create(new DatabaseSettings(db.url(), db.adminUser(), "")))
                .addTo(context);
        context.start();
        try {
            String failed = context.createProducerTemplate().requestBody("direct:nightly-backup", null, String.class);
            String succeeded = context.createProducerTemplate().requestBody("direct:other-backup", null, String.class);

            assertThat(failed).startsWith("backup failed: opening a snapshot of the database failed")
                    .doesNotContain("\n");
            assertThat(StoredDump.EXACT_JSON.readTree(succeeded).at("/metadata/total_rows").asLong()).isEqualTo(2);
            assertThat(StoredDump.keys(s3.client(), bucket)).hasSize(2);
            // Nothing of ours was autowired into the host's own aws2-s3 component while our routes were created.
            AWS2S3Component hostS3Component = context.getComponent("aws2-s3", AWS2S3Component.class);
            assertThat(hostS3Component.getConfiguration().getAmazonS3Client()).isNull();
            assertThat(context.getRegistry().findByType(S3Client.class)).isEmpty();
        } finally {
            context.stop();
        }
    }
}
