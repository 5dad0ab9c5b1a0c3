package dev.databasedump.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.pipeline.DumpProgress;
import dev.databasedump.storage.DumpStore.StoredDump;
import dev.databasedump.support.Scrape;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class DumpMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DumpMetrics metrics = new DumpMetrics(registry, "legal", List.of("http", "schedule"));

    private Scrape scrape() {
        return new Scrape(registry.scrape());
    }

    private static final List<String> LAST_SUCCESS = List.of("database_dump_last_success_timestamp_seconds",
            "database_dump_last_success_duration_seconds", "database_dump_last_success_rows",
            "database_dump_last_success_bytes");

    @Test
    void should_publish_every_counter_an_alert_needs_at_zero_before_any_dump() {
        Scrape scrape = scrape();

        for (String gauge : List.of("database_dump_running", "database_dump_rows_exported")) {
            assertThat(scrape.get(gauge, "database", "legal")).as(gauge).isZero();
        }
        for (String trigger : List.of("http", "schedule")) {
            for (String outcome : List.of("success", "failure", "busy")) {
                assertThat(scrape.get("database_dump_runs_total", "database", "legal", "trigger", trigger,
                        "outcome", outcome)).as(trigger + " " + outcome).isZero();
            }
        }
        for (String outcome : List.of("success", "failure", "busy")) {
            assertThat(scrape.get("database_restore_runs_total", "database", "legal", "outcome", outcome)).isZero();
        }
    }

    @Test
    void should_leave_the_last_success_out_until_it_is_known_never_showing_a_zero_that_is_not_true() {
        for (String gauge : LAST_SUCCESS) {
            assertThat(scrape().value(gauge)).as(gauge + " before the bucket was read").isEmpty();
        }

        metrics.noneStoredBefore();

        for (String gauge : LAST_SUCCESS) {
            assertThat(scrape().get(gauge, "database", "legal")).as(gauge + " of a bucket without dumps").isZero();
        }
    }

    @Test
    void should_count_a_tenants_dump_as_a_run_but_never_as_the_databases_last_success() {
        metrics.noneStoredBefore();

        metrics.tenantDumpSucceeded("http");

        assertThat(scrape().get("database_dump_runs_total", "trigger", "http", "outcome", "success")).isEqualTo(1);
        assertThat(scrape().get("database_dump_last_success_timestamp_seconds", "database", "legal")).isZero();
    }

    @Test
    void should_follow_the_running_dumps_progress_and_drop_to_zero_when_it_ends() {
        DumpProgress progress = new DumpProgress();
        RunMetrics.Running running = metrics.dumpStarted(progress);
        progress.rowsDone(1234);

        assertThat(scrape().get("database_dump_running", "database", "legal")).isEqualTo(1);
        assertThat(scrape().get("database_dump_rows_exported", "database", "legal")).isEqualTo(1234);

        running.close();

        assertThat(scrape().get("database_dump_running", "database", "legal")).isZero();
        assertThat(scrape().get("database_dump_rows_exported", "database", "legal")).isZero();
    }

    @Test
    void should_count_outcomes_by_trigger_and_keep_the_last_successs_figures() {
        Instant storedAt = Instant.parse("2026-11-26T03:00:07.250Z");
        metrics.dumpSucceeded("schedule", storedAt, Duration.ofMillis(61_500), 76_000, 12_345_678);
        metrics.dumpFailed("schedule");
        metrics.dumpFailed("embedded");
        metrics.refused("dump", "http");
        metrics.refused("restore", "http");
        metrics.restoreEnded(RunMetrics.SUCCESS);

        Scrape scrape = scrape();
        assertThat(scrape.get("database_dump_last_success_timestamp_seconds", "database", "legal"))
                .isEqualTo(1795662007.25);
        assertThat(scrape.get("database_dump_last_success_duration_seconds")).isEqualTo(61.5);
        assertThat(scrape.get("database_dump_last_success_rows")).isEqualTo(76_000);
        assertThat(scrape.get("database_dump_last_success_bytes")).isEqualTo(12_345_678);
        assertThat(scrape.get("database_dump_runs_total", "trigger", "schedule", "outcome", "success")).isEqualTo(1);
        assertThat(scrape.get("database_dump_runs_total", "trigger", "schedule", "outcome", "failure")).isEqualTo(1);
        assertThat(scrape.get("database_dump_runs_total", "trigger", "embedded", "outcome", "failure")).isEqualTo(1);
        assertThat(scrape.get("database_dump_runs_total", "trigger", "http", "outcome", "busy")).isEqualTo(1);
        assertThat(scrape.get("database_dump_runs_total", "trigger", "http", "outcome", "success")).isZero();
        assertThat(scrape.get("database_restore_runs_total", "outcome", "busy")).isEqualTo(1);
        assertThat(scrape.get("database_restore_runs_total", "outcome", "success")).isEqualTo(1);
    }

    @Test
    void should_take_the_newest_dump_in_the_bucket_until_this_process_stores_one() {
        metrics.storedBefore(new StoredDump("dumps/full-dump-20261125T030000.000Z.json", 999,
                Instant.parse("2026-11-25T03:01:00Z"), Instant.parse("2026-11-25T03:00:00Z"), null));
        assertThat(scrape().get("database_dump_last_success_timestamp_seconds")).isEqualTo(1795575660);
        assertThat(scrape().get("database_dump_last_success_bytes")).isEqualTo(999);

        metrics.dumpSucceeded("http", Instant.parse("2026-11-26T03:00:00Z"), Duration.ofSeconds(1), 1, 10);
        // A bucket listing that comes late never replaces this process's own success.
        metrics.storedBefore(new StoredDump("dumps/full-dump-20261125T030000.000Z.json", 999,
                Instant.parse("2026-11-25T03:01:00Z"), Instant.parse("2026-11-25T03:00:00Z"), null));

        assertThat(scrape().get("database_dump_last_success_timestamp_seconds")).isEqualTo(1795662000);
    }

    @Test
    void should_show_the_rounds_figures_and_leave_the_oldest_tenant_success_out_until_a_round_knows_it() {
        java.util.concurrent.atomic.AtomicReference<java.util.OptionalDouble> oldest =
                new java.util.concurrent.atomic.AtomicReference<>(java.util.OptionalDouble.empty());
        RoundFigures figures = new RoundFigures() {
            public int tenants() {
                return 3;
            }

            public int done() {
                return 2;
            }

            public int failed() {
                return 1;
            }

            public int skipped() {
                return 0;
            }

            public double startSeconds() {
                return 100;
            }

            public double endSeconds() {
                return 0;
            }

            public java.util.OptionalDouble oldestSuccessSeconds() {
                return oldest.get();
            }
        };

        metrics.tenantRounds(figures);
        Scrape before = scrape();
        oldest.set(java.util.OptionalDouble.of(42));
        metrics.tenantRounds(figures);

        assertThat(before.get("database_dump_tenant_round_tenants", "database", "legal")).isEqualTo(3);
        assertThat(before.get("database_dump_tenant_round_done", "database", "legal")).isEqualTo(2);
        assertThat(before.get("database_dump_tenant_round_failed", "database", "legal")).isEqualTo(1);
        assertThat(before.get("database_dump_tenant_round_start_timestamp_seconds", "database", "legal"))
                .isEqualTo(100);
        assertThat(before.value("database_dump_tenant_oldest_success_timestamp_seconds")).isEmpty();
        assertThat(scrape().get("database_dump_tenant_oldest_success_timestamp_seconds", "database", "legal"))
                .isEqualTo(42);
    }
}
