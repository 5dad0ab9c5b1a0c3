package dev.databasedump.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.TablePiece;
import dev.databasedump.database.TableRowReader;
import dev.databasedump.document.DumpDocument.TableWritten;
import dev.databasedump.document.JsonNulls;
import dev.databasedump.scope.RoundSnapshots;
import dev.databasedump.storage.DumpFacts;
import dev.databasedump.storage.ReplacedStart;
import dev.databasedump.document.PieceSpool;
import dev.databasedump.document.TableKeys;
import dev.databasedump.metrics.RunMetrics;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.storage.DumpStore;
import dev.databasedump.verify.VerifyPipeline;
import dev.databasedump.verify.VerifyReport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-dump} route, in route order: {@link #open}, {@link #exportPiece} per piece (on
 * several threads), {@link #seal}, {@link #store}, {@link #checksumFile}, {@link #verifyStored}, {@link #summary}; on
 * failure
 * {@link #failure} makes one clean line of it and {@link #fail} rethrows it; {@link #close} always runs last.
 */
public final class DumpPipeline {

    /** Exchange property carrying the {@link DumpRun}. */
    public static final String RUN = "databaseDumpRun";
    /** Exchange property with the key of the dump just stored, for the steps after it. */
    public static final String STORED_KEY = "databaseDumpStoredKey";
    /** Exchange property a trigger may set: who asked for the dump, written to the metadata as triggered_by. */
    public static final String TRIGGERED_BY = "databaseDumpTriggeredBy";
    /** Exchange property a trigger sets to label the dump's metrics: http, schedule, run-once; else embedded. */
    public static final String TRIGGER = "databaseDumpTrigger";
    /**
     * Exchange property a round of tenant dumps sets: the {@link RoundSnapshots} the tenant's dump reads in. Its
     * webhook notice is the round's, not its own.
     */
    public static final String ROUND = "databaseDumpRound";
    /** Exchange property a round sets beside {@link #ROUND}: the keys in the tenant's folder, listed under its lock. */
    public static final String ROUND_KEYS = "databaseDumpRoundKeys";

    private static final Logger LOG = LoggerFactory.getLogger(DumpPipeline.class);

    private final DumpSettings settings;
    private final DumpStore store;
    private final VerifyPipeline verifier;
    private final Clock clock;
    private final ObjectMapper json;
    private final FailureMessages failures;
    private final TableRowReader reader;
    private final TableKeys tableKeys;
    private final DumpMetadataBuilder metadata;
    private final DumpOpening opening;
    private final RunLifecycle<DumpRun> lifecycle;
    private final RunMetrics metrics;

    public DumpPipeline(DumpSettings settings, DataSource dataSource, DumpStore store, VerifyPipeline verifier,
            RunMetrics metrics, Clock clock, ObjectMapper json) {
        this.settings = settings;
        this.store = store;
        this.verifier = verifier;
        this.metrics = metrics;
        this.clock = clock;
        this.json = json;
        this.failures = new FailureMessages(settings.secrets(), "s3://" + store.bucket());
        this.reader = new TableRowReader();
        this.tableKeys = new TableKeys(settings.schemas());
        this.metadata = new DumpMetadataBuilder(settings, tableKeys);
        this.opening = new DumpOpening(settings, dataSource, store, clock, json, failures, tableKeys, metadata);
        this.lifecycle = new RunLifecycle<>("dump", "dumping", RUN, DumpRun.class, failures);
    }

    /** Stops every running dump now, when the application is shutting down, so each cleans up at once. */
    public void abortRunning() {
        lifecycle.abortRunning();
    }

    /**
     * Checks the bucket and takes the dump's key, opens the snapshot (its tables listed, locked and cut into pieces,
     * the other reading connections joined) and starts the document and its upload. The body becomes the pieces.
     */
    public List<TablePiece> open(Exchange exchange) {
        DumpProgress progress = exchange.getProperty(DumpProgress.PROPERTY, DumpProgress.class);
        DumpRun run = lifecycle.begin(exchange, new DumpRun(store, progress != null ? progress : new DumpProgress(),
                exchange.getProperty(TRIGGERED_BY, String.class),
                exchange.getProperty(TRIGGER, RunMetrics.EMBEDDED, String.class), LogContext.jobId(),
                AskedTenant.of(exchange).orElse(null)));
        run.running = metrics.dumpStarted(run.progress);
        run.step = "opening the snapshot";
        RoundSnapshots round = exchange.getProperty(ROUND, RoundSnapshots.class);
        if (round != null && run.tenant != null) {
            run.inRound = true;
            @SuppressWarnings("unchecked")
            java.util.Set<String> keys = exchange.getProperty(ROUND_KEYS, java.util.Set.class);
            opening.openInRound(run, round, keys);
        } else {
            opening.open(run);
        }
        run.step = "reading the tables";
        int connections = run.snapshot.readers().size();
        progress(run, "1/4 Snapshot open on database {}: dumping {} tables of schemas {}{} in {} pieces on {} connection{}",
                run.snapshot.database().name(), run.tablesByKey.size(), settings.schemas(),
                run.tenant == null ? "" : ", the rows of tenant " + run.tenant, run.snapshot.pieces().size(),
                connections, connections == 1 ? "" : "s");
        return run.snapshot.pieces();
    }

    /** Reads one piece on a free connection of the snapshot and appends it to the document. */
    public void exportPiece(TablePiece piece, @ExchangeProperty(RUN) DumpRun run) throws InterruptedException {
        if (run.failing) {
            // Another piece failed: the split reports that failure; nothing more is read.
            return;
        }
        try (LogContext onThisThread = LogContext.enter(run.jobId, run.key)) {
            export(piece, run);
        }
    }

    private void export(TablePiece piece, DumpRun run) throws InterruptedException {
        PieceSpool spool;
        try {
            spool = run.document.spool(piece.position(), tableKeys.of(piece.table().schema(), piece.table().name()),
                    piece.firstOfTable(), piece.lastOfTable());
        } catch (Exception e) {
            throw run.failed(failures.failed("creating a temporary file in " + settings.tmpDir(), e));
        }
        try {
            run.snapshot.readers().read(connection -> reader.read(connection, piece,
                    new PieceRows(piece, spool, run, failures)));
        } catch (Exception e) {
            spool.close();
            throw run.failed(failures.failed("reading table " + piece.table().displayName(), e));
        }
        appendPiece(run, spool);
    }

    private void appendPiece(DumpRun run, PieceSpool spool) {
        try {
            for (TableWritten table : run.document.append(spool)) {
                DumpTable written = run.tablesByKey.get(table.key());
                run.tables.put(table.key(), DumpMetadataBuilder.summary(written, table.rows()));
                run.progress.tableDone();
                progress(run, "2/4 Exported {} rows of {} after {} ms", table.rows(), written.displayName(),
                        (System.nanoTime() - run.startedNanos) / 1_000_000);
            }
        } catch (Exception e) {
            throw run.failed(failures.failed("writing the dump to " + settings.tmpDir(), e));
        }
        try {
            long written = run.document.length();
            run.progress.bytesDone(written);
            run.upload.finalUpTo(written);
        } catch (Exception e) {
            throw run.failed(failures.toFailure(e));
        }
    }

    /**
     * Ends the snapshot and writes the metadata into the room kept for it; the rest of the document goes up (its last
     * parts and the first, or the whole of a small one in one PUT) while the file is read once more for its SHA-256.
     */
    public void seal(@ExchangeProperty(RUN) DumpRun run) {
        run.step = "writing the metadata";
        run.snapshot.close();
        run.metadata = metadata.of(run);
        long size;
        ReplacedStart outgrown = null;
        try {
            // An encrypted document is written only now: its parts go up as it grows.
            size = run.document.finish(run.metadata, run.upload::finalUpTo);
            Path head = run.document.outgrownHead();
            if (head != null) {
                // The JSON nulls made the metadata outgrow its room: the head is a file of its own.
                outgrown = new ReplacedStart(head, Files.size(head), run.document.headerLength());
                size = Files.size(run.document.file());
            }
        } catch (Exception e) {
            throw failures.failed("writing the dump to " + settings.tmpDir(), e);
        }
        run.upload.finish(size, outgrown);
        if (run.metadata.jsonNullsUnrecorded() != null) {
            LOG.warn("Too many runs of JSON null values to list them all (at most {} in a dump): a restore puts SQL"
                    + " NULL in place of those of {}", JsonNulls.MOST_RUNS, run.metadata.jsonNullsUnrecorded());
        }
        try {
            run.sealed = run.document.hash();
        } catch (Exception e) {
            throw failures.failed("reading the dump in " + settings.tmpDir(), e);
        }
        progress(run, "3/4 Storing {} bytes ({} rows) as s3://{}/{}", run.sealed.sizeBytes(), run.metadata.totalRows(),
                store.bucket(), run.key);
        if (run.tenant != null && run.metadata.totalRows() == 0 && !run.inRound) {
            // Without a tenant table nothing says which tenants exist: a mistyped id looks like an empty tenant.
            LOG.warn("Tenant {} has no row in any table with column {}: its dump holds no rows (is the id right?)",
                    run.tenant, settings.tenants().column().orElse(""));
        }
    }

    /** Waits until the dump is at its key. */
    public void store(@ExchangeProperty(RUN) DumpRun run) throws InterruptedException {
        run.step = "storing the dump";
        run.uploader = Thread.currentThread();
        if (run.aborted()) {
            // Stopped before this thread could be interrupted.
            throw new InterruptedException("the application is shutting down");
        }
        try {
            run.upload.complete();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw failures.toFailure(e);
        }
    }

    /** Stores the {@code sha256sum}-format checksum file beside the dump. */
    public void checksumFile(@ExchangeProperty(RUN) DumpRun run) {
        run.step = "storing its checksum file";
        store.storeChecksum(run.key, run.sealed.sha256(), DumpFacts.of(run.startedAt, run.metadata.totalRows(),
                run.metadata.totalTables(), run.metadata.durationMs(), settings.compression().name().toLowerCase(
                        java.util.Locale.ROOT), settings.encryption().encrypts()));
    }

    /**
     * With {@code dump.verify-after-upload}, reads the dump back from the store and verifies it as the verify route
     * does; one that does not verify fails the dump, and is removed like any failed dump's.
     */
    public void verifyStored(@ExchangeProperty(RUN) DumpRun run) {
        if (!settings.verifyAfterUpload()) {
            return;
        }
        run.step = "verifying the stored dump";
        VerifyReport report = verifier.verify(run.key);
        if (!report.ok()) {
            throw failures.failure("verifying the stored dump failed: " + report.problem(), null);
        }
    }

    /** Marks the dump complete; the body becomes the summary JSON (metadata, never data). */
    public String summary(@ExchangeProperty(RUN) DumpRun run, Exchange exchange) throws JsonProcessingException {
        run.step = "writing the summary";
        run.completed = true;
        exchange.setProperty(STORED_KEY, run.key);
        if (run.tenant == null) {
            metrics.dumpSucceeded(run.trigger, clock.instant(), Duration.ofNanos(System.nanoTime() - run.startedNanos),
                    run.metadata.totalRows(), run.sealed.sizeBytes());
        } else {
            metrics.tenantDumpSucceeded(run.trigger);
        }
        DumpSummary summary = new DumpSummary(store.bucket(), run.key, run.sealed.sizeBytes(), run.sealed.sha256(),
                settings.encryption().encrypts() ? true : null,
                settings.encryption().encrypts() ? settings.encryption().recipients() : null, run.metadata);
        progress(run, "4/4 Dump stored: s3://{}/{} ({} bytes, sha256 {})", summary.bucket(), summary.key(),
                summary.sizeBytes(), summary.sha256());
        return json.writeValueAsString(summary);
    }

    // A round's dumps log one line per tenant (the round's), their steps only at DEBUG: ten thousand tenants a night
    // must not bury the log.
    private static void progress(DumpRun run, String format, Object... arguments) {
        if (run.inRound) {
            LOG.debug(format, arguments);
        } else {
            LOG.info(format, arguments);
        }
    }

    /** Turns any failure of the route into a {@link DumpFailedException} with one clean line, and logs it. */
    public void failure(Exchange exchange) {
        lifecycle.failure(exchange);
        metrics.dumpFailed(exchange.getProperty(TRIGGER, RunMetrics.EMBEDDED, String.class));
    }

    /** Rethrows the failure to the caller. */
    public void fail(Exchange exchange) {
        lifecycle.fail(exchange);
    }

    /** Always last: ends the snapshot, deletes temporary files and, unless the dump completed, anything it stored. */
    public void close(Exchange exchange) {
        lifecycle.close(exchange);
        LogContext.forgetKey();
    }
}
