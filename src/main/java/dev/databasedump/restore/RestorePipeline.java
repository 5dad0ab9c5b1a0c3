package dev.databasedump.restore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.exceptionfactory.jagged.RecipientStanzaReader;

import dev.databasedump.database.SessionSettings;
import dev.databasedump.document.Age;
import dev.databasedump.document.DocumentProblem;
import dev.databasedump.document.DocumentReader;
import dev.databasedump.document.ReadAhead;
import dev.databasedump.document.RowBatch;
import dev.databasedump.document.RowBatches;
import dev.databasedump.document.TableKeys;
import dev.databasedump.metrics.RunMetrics;
import dev.databasedump.pipeline.AskedDump;
import dev.databasedump.pipeline.DumpProgress;
import dev.databasedump.pipeline.FailureMessages;
import dev.databasedump.pipeline.LogContext;
import dev.databasedump.pipeline.RunLifecycle;
import dev.databasedump.restore.RestoreTarget.DumpTableName;
import dev.databasedump.settings.RestoreSettings;
import dev.databasedump.settings.TenantImportSettings;
import dev.databasedump.settings.TenantSettings;
import dev.databasedump.storage.DumpStore;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-restore} route, in route order: {@link #open} the dump and the target's
 * transaction, {@link #load} each batch of rows, {@link #commit} once everything checks, {@link #summary}; on failure
 * {@link #failure} and {@link #fail}; {@link #close} always, which rolls back anything not committed.
 */
public final class RestorePipeline {

    /** Exchange property carrying the {@link RestoreRun}. */
    public static final String RUN = "databaseDumpRestoreRun";
    /** Exchange property a trigger may set: how this restore takes one tenant's data, over the settings. */
    public static final String IMPORT = "databaseDumpRestoreImport";
    static final int BATCH_ROWS = 10_000;
    static final int BATCH_BYTES = 8 << 20;
    /** Batches read ahead while one loads: with 8 MB batches, at most about 24 MB of rows in memory. */
    static final int READ_AHEAD = 2;

    private static final Logger LOG = LoggerFactory.getLogger(RestorePipeline.class);

    private final DumpStore store;
    private final RestoreSettings settings;
    private final RestoreOpening opening;
    private final ObjectMapper json;
    private final FailureMessages failures;
    private final RunLifecycle<RestoreRun> lifecycle;
    private final RunMetrics metrics;

    /**
     * @param identityFile the age identity file encrypted dumps are read with
     * @param tenants      how a tenant's rows are told apart, for {@code dump.restore.tenant}
     */
    public RestorePipeline(DumpStore store, RestoreSettings settings, TenantSettings tenants,
            Supplier<DataSource> target, Optional<Path> identityFile, List<String> secrets, RunMetrics metrics,
            ObjectMapper json) {
        this.store = store;
        this.settings = settings;
        this.json = json;
        this.metrics = metrics;
        this.failures = new FailureMessages(secrets, "s3://" + store.bucket());
        // Read once, at start: a file that cannot be read stops the application naming its setting.
        this.opening = new RestoreOpening(store, settings, tenants, target,
                identityFile.map(Age::identities).orElse(List.of()), failures);
        this.lifecycle = new RunLifecycle<>("restore", "restoring", RUN, RestoreRun.class, failures);
    }

    /** Stops every running restore (its transaction rolled back), when the application is shutting down. */
    public void abortRunning() {
        lifecycle.abortRunning();
    }

    /**
     * Opens the dump the header or the body names ({@code latest} when neither does) and reads its metadata; begins
     * the target's transaction and checks the target before anything is written (tables, columns, types; empty or
     * truncated, or, for one tenant's data, the tenant's rows there deleted or absent), keeping triggers and
     * foreign-key checks off the restored rows. The body becomes the rows, in batches, read as the split asks.
     */
    public Iterator<RowBatch> open(Exchange exchange) {
        DumpProgress progress = exchange.getProperty(DumpProgress.PROPERTY, DumpProgress.class);
        RestoreRun run = lifecycle.begin(exchange, new RestoreRun(
                (progress != null ? progress : new DumpProgress()).saying("Restored")));
        TenantImportSettings asked = exchange.getProperty(IMPORT, TenantImportSettings.class);
        run.step = "opening the dump and checking the target";
        String key = opening.open(run, AskedDump.of(exchange), asked != null ? asked : settings.tenants());
        run.progress.tablesToDo(run.tables.size());
        if (run.metadata.jsonNullsUnrecorded() != null) {
            LOG.warn("The dump had too many runs of JSON null values to list them all: those of {} are restored as SQL"
                    + " NULL", run.metadata.jsonNullsUnrecorded());
        }
        LOG.info("1/4 Restoring s3://{}/{} into database {}: {} tables, {} rows; triggers kept off as {}",
                store.bucket(), key, run.database, run.tables.size(),
                run.tables.keySet().stream().mapToLong(t -> run.metadata.tablesSummary().get(t).rows()).sum(),
                run.guard.mode());
        // The next batches are read and parsed on a thread of their own while the database loads the current one.
        run.batches = new ReadAhead<>(new RowBatches(run.reader, BATCH_ROWS, BATCH_BYTES, problem -> {
            throw failures.failure("the dump cannot be restored: " + problem.getMessage(), problem);
        }, failure -> failures.failed("reading s3://" + store.bucket() + "/" + key, failure)), READ_AHEAD,
                "database-dump-restore-reader");
        return run.batches;
    }

    /** Loads one batch of rows into its table, converted by the server; a table the restore leaves out is skipped. */
    public void load(RowBatch batch, @ExchangeProperty(RUN) RestoreRun run) {
        run.step = "loading the rows of " + batch.table();
        TargetTable table = run.tables.get(batch.table());
        if (table == null) {
            return;
        }
        try {
            if (batch.firstOfTable() && run.metadata.tablesSummary().get(batch.table()).columnTypes() == null
                    && batch.rows() > 0) {
                // A format-1 dump names its columns only in its rows.
                table = run.target.withColumns(table, batch.columns());
                run.tables.put(batch.table(), table);
            }
            long inserted = run.staging.load(batch, table, run.tenantImport == null ? table.qualified()
                    : run.tenantImport.stageOf(table), run.jsonNulls(batch.table()));
            run.rows += inserted;
            run.progress.rowsDone(inserted);
        } catch (SQLException e) {
            throw failures.failed("restoring table " + table.displayName(), e);
        } catch (RestoreRefusedException e) {
            throw failures.failure(e.getMessage(), e);
        }
        if (batch.lastOfTable()) {
            run.progress.tableDone();
            LOG.info("2/4 Restored table {} after {} ms", table.displayName(),
                    Duration.ofNanos(System.nanoTime() - run.startedNanos).toMillis());
        }
    }

    /**
     * For one tenant's data: with every row staged, takes the tenant's scope out of them and inserts what the plan
     * decides (its rows; the shared rows the target lacks), refusing a key that collides with another tenant's row or a
     * shared row that differs. Nothing to do for a whole restore, whose rows went straight into their tables.
     */
    public void plan(@ExchangeProperty(RUN) RestoreRun run) {
        if (run.tenantImport == null) {
            return;
        }
        run.step = "planning the tenant's import";
        try {
            run.tenantImport.apply(run.session.connection());
        } catch (SQLException e) {
            throw failures.failed("importing tenant " + run.tenantImport.tenant() + " into database " + run.database,
                    e);
        } catch (RestoreRefusedException e) {
            throw failures.failure(e.getMessage() + "; nothing was restored", e);
        }
        run.rows = run.tenantImport.plan().restoredRows();
    }

    /**
     * Commits only when everything checks: the stored bytes' SHA-256 equals the checksum file's (the reader checked
     * every count), every foreign key of the restored tables holds (of a tenant import: where it can have broken
     * one); the sequences are set first, only ever forward for a tenant import. A dry run rolls back instead.
     */
    public void commit(@ExchangeProperty(RUN) RestoreRun run) {
        run.step = "checking the restored rows and committing";
        try {
            run.stored.drain();
        } catch (IOException e) {
            throw failures.failed("reading s3://" + store.bucket() + "/" + run.stored.key(), e);
        }
        String sha256 = run.stored.sha256();
        if (run.stored.expectedSha256() == null) {
            throw failures.failure("there is no checksum file " + run.stored.key() + ".sha256: a restore loads only"
                    + " a dump it can check; nothing was restored", null);
        }
        if (!sha256.equals(run.stored.expectedSha256())) {
            throw failures.failure("the dump's SHA-256 is " + sha256 + " where its checksum file says "
                    + run.stored.expectedSha256() + ": nothing was restored", null);
        }
        List<TargetTable> tables = new ArrayList<>(run.tables.values());
        LOG.info("3/4 Checking {} tables before committing: SHA-256 {} matches; foreign keys next", tables.size(),
                sha256);
        try {
            run.guard.restore();
            if (run.tenantImport == null) {
                run.foreignKeys = ForeignKeyCheck.check(run.session.connection(), tables);
                run.sequences = SequenceRestore.restore(run.session.connection(), run.metadata, tables,
                        run.tables.size() == run.metadata.tablesSummary().size());
            } else {
                run.foreignKeys = run.tenantImport.checkReferences(run.session.connection());
                run.sequences = SequenceRestore.pastRestoredRows(run.session.connection(), tables);
            }
            if (run.tenantImport == null || !run.tenantImport.dryRun()) {
                run.session.commit();
            }
        } catch (SQLException e) {
            throw failures.failed("restoring into database " + run.database, e);
        } catch (RestoreRefusedException e) {
            throw failures.failure(e.getMessage() + "; nothing was restored", e);
        }
    }

    /** The summary as the body: what was restored where. */
    public String summary(@ExchangeProperty(RUN) RestoreRun run) throws JsonProcessingException {
        RestoreSummary summary = new RestoreSummary(store.bucket(), run.stored.key(), run.database,
                run.tables.size(), run.rows, run.sequences, run.foreignKeys, run.truncated, run.guard.mode(),
                run.stored.sha256(), Duration.ofNanos(System.nanoTime() - run.startedNanos).toMillis(),
                run.tenantImport == null ? null : run.tenantImport.plan());
        LOG.info("4/4 {} s3://{}/{} into database {}: {} tables, {} rows, {} sequences, in {} ms",
                run.tenantImport != null && run.tenantImport.dryRun() ? "Dry run, rolled back: would have restored"
                        : "Restored", summary.bucket(), summary.key(), summary.database(), summary.tables(),
                summary.rows(), summary.sequences(), summary.durationMs());
        metrics.restoreEnded(RunMetrics.SUCCESS);
        return json.writeValueAsString(summary);
    }

    public void failure(Exchange exchange) {
        lifecycle.failure(exchange);
        metrics.restoreEnded(RunMetrics.FAILURE);
    }

    public void fail(Exchange exchange) {
        lifecycle.fail(exchange);
    }

    /** Always last: rolls back whatever was not committed (the target is as it was) and ends the download. */
    public void close(Exchange exchange) {
        lifecycle.close(exchange);
        LogContext.forgetKey();
    }
}
