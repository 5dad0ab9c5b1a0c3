package dev.databasedump.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.DaemonThreads;
import dev.databasedump.database.DumpTable;
import dev.databasedump.database.PiecePlanner;
import dev.databasedump.database.SnapshotReaders;
import dev.databasedump.database.SnapshotSession;
import dev.databasedump.database.TableCatalog;
import dev.databasedump.database.TableLockException;
import dev.databasedump.database.TablePiece;
import dev.databasedump.database.TableRowReader;
import dev.databasedump.document.DumpDocument;
import dev.databasedump.document.DumpDocument.TableWritten;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.DumpMetadata.TableSummary;
import dev.databasedump.document.PieceSpool;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.storage.DumpKeys;
import dev.databasedump.storage.GrowingFileUpload;
import dev.databasedump.storage.PartialUploadCleaner;

import java.io.File;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import software.amazon.awssdk.services.s3.S3Client;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-dump} route, in route order: {@link #open}, {@link #exportPiece} per piece (on
 * several threads), {@link #seal}, {@link #completeUpload} or the producer's upload, {@link #checksumFile}, the upload,
 * {@link #summary}; on failure {@link #failure} makes one clean line of it and {@link #fail} rethrows it;
 * {@link #close} always runs last.
 */
public final class DumpPipeline {

    /** Exchange property carrying the {@link DumpRun}. */
    public static final String RUN = "databaseDumpRun";
    /** Exchange property with the key of the dump just stored, for the steps after it. */
    public static final String STORED_KEY = "databaseDumpStoredKey";
    /** Exchange property with the failure of this dump, as one clean line, for the steps that report it. */
    public static final String FAILURE = "databaseDumpFailure";
    /** Exchange property: true when parts of the dump went up while it was read, so the route completes that upload. */
    public static final String UPLOADED_IN_PARTS = "databaseDumpUploadedInParts";
    /** Exchange property a trigger may set: who asked for the dump, written to the metadata as triggered_by. */
    public static final String TRIGGERED_BY = "databaseDumpTriggeredBy";

    private static final Logger LOG = LoggerFactory.getLogger(DumpPipeline.class);

    private final DumpSettings settings;
    private final DataSource dataSource;
    private final DumpKeys keys;
    private final PartialUploadCleaner cleaner;
    private final Clock clock;
    private final ObjectMapper json;
    private final FailureMessages failures;
    private final TableCatalog catalog;
    private final TableRowReader reader;
    private final PiecePlanner planner;
    private final S3Client s3;
    private final Set<DumpRun> running = ConcurrentHashMap.newKeySet();

    public DumpPipeline(DumpSettings settings, DataSource dataSource, S3Client s3, DumpKeys keys,
            PartialUploadCleaner cleaner, Clock clock, ObjectMapper json) {
        this.settings = settings;
        this.s3 = s3;
        this.dataSource = dataSource;
        this.keys = keys;
        this.cleaner = cleaner;
        this.clock = clock;
        this.json = json;
        this.failures = new FailureMessages(settings.secrets(), "s3://" + settings.storage().bucket());
        this.catalog = new TableCatalog(settings.schemas(), settings.tables());
        this.reader = new TableRowReader(settings.pageSize());
        this.planner = new PiecePlanner(settings.reads().pieceRows());
    }

    /**
     * Opens the snapshot, lists and locks the tables, cuts them into pieces and opens the other reading connections on
     * the same snapshot; starts the document and its upload. The body becomes the pieces to split over.
     */
    public List<TablePiece> open(Exchange exchange) {
        // Where the dump goes is ours to decide: no caller's header may redirect it.
        exchange.getMessage().removeHeaders("CamelAwsS3*");
        DumpProgress progress = exchange.getProperty(DumpProgress.PROPERTY, DumpProgress.class);
        DumpRun run = new DumpRun(clock.instant().truncatedTo(ChronoUnit.MILLIS),
                progress != null ? progress : new DumpProgress(), exchange.getProperty(TRIGGERED_BY, String.class));
        exchange.setProperty(RUN, run);
        running.add(run);
        try {
            keys.checkBucket();
        } catch (Exception e) {
            throw failures.failed("checking bucket " + settings.storage().bucket(), e);
        }
        List<DumpTable> tables;
        SnapshotSession session;
        try {
            session = SnapshotSession.open(dataSource, settings.lockTimeout());
            run.readers = new SnapshotReaders(session);
            tables = catalog.list(session.connection());
            run.database = session.describeDatabase();
        } catch (Exception e) {
            throw failures.failed("opening a snapshot of the database", e);
        }
        try {
            session.lockShared(tables);
        } catch (TableLockException e) {
            throw failures.failed("locking table " + e.table().displayName(), e);
        }
        List<TablePiece> pieces;
        try {
            pieces = planner.plan(session.connection(), tables);
        } catch (Exception e) {
            throw failures.failed("planning the reads", e);
        }
        tables.forEach(table -> run.tablesByKey.put(tableKey(table), table));
        startDocument(run, tables);
        try {
            run.readers.join(dataSource, settings.lockTimeout(), tables,
                    Math.min(settings.reads().parallelism(), pieces.size()));
        } catch (Exception e) {
            throw failures.failed("exporting the snapshot", e);
        }
        run.progress.tablesToDo(tables.size());
        LOG.info("1/4 Snapshot open on database {}: dumping {} tables of schemas {} in {} pieces on {} connections",
                run.database.name(), tables.size(), settings.schemas(), pieces.size(), run.readers.size());
        return pieces;
    }

    /** Reads one piece on a free connection of the snapshot and appends it to the document. */
    public void exportPiece(TablePiece piece, @ExchangeProperty(RUN) DumpRun run) throws InterruptedException {
        if (run.failing) {
            // Another piece failed: the split reports that failure; nothing more is read.
            return;
        }
        PieceSpool spool;
        try {
            spool = run.document.spool(piece.position(), tableKey(piece.table()), piece.firstOfTable(),
                    piece.lastOfTable());
        } catch (Exception e) {
            throw run.failed(failures.failed("creating a temporary file in " + settings.tmpDir(), e));
        }
        try {
            run.readers.read(connection -> reader.read(connection, piece, row -> {
                if (run.failing) {
                    throw new DumpFailedException("stopped: another piece failed", null);
                }
                spool.row(row);
                run.progress.rowDone();
            }));
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
                run.tables.put(table.key(), new TableSummary(table.rows(), written.columns()));
                run.progress.tableDone();
                LOG.info("2/4 Exported {} rows of {} after {} ms", table.rows(), written.displayName(),
                        (System.nanoTime() - run.startedNanos) / 1_000_000);
            }
        } catch (Exception e) {
            throw run.failed(failures.failed("writing the dump to " + settings.tmpDir(), e));
        }
        try {
            run.upload.finalUpTo(run.document.length());
        } catch (Exception e) {
            throw run.failed(failures.toFailure(e));
        }
    }

    /**
     * Ends the snapshot, writes the metadata into the document and names its key. When parts of it went up during
     * the reading, the route completes that upload; otherwise the body becomes the file for the aws2-s3 producer.
     */
    public File seal(@ExchangeProperty(RUN) DumpRun run, Exchange exchange) {
        run.readers.close();
        run.metadata = metadata(run);
        long size;
        try {
            size = run.document.finish(run.metadata);
        } catch (Exception e) {
            throw failures.failed("writing the dump to " + settings.tmpDir(), e);
        }
        boolean inParts = run.upload.started();
        if (inParts) {
            // The last parts go up, and the store puts the parts together, while the file is read for its SHA-256.
            run.upload.finish(size);
        }
        try {
            run.sealed = run.document.hash();
        } catch (Exception e) {
            throw failures.failed("reading the dump in " + settings.tmpDir(), e);
        }
        exchange.setProperty(UPLOADED_IN_PARTS, inParts);
        LOG.info("3/4 {} {} bytes ({} rows) to s3://{}/{}", inParts ? "Finishing the upload of" : "Uploading",
                run.sealed.sizeBytes(), run.metadata.totalRows(), settings.storage().bucket(), run.key);
        exchange.getMessage().setHeader(AWS2S3Constants.KEY, run.key);
        exchange.getMessage().setHeader(AWS2S3Constants.CONTENT_TYPE, settings.compression().contentType());
        run.uploader = Thread.currentThread();
        return run.sealed.file().toFile();
    }

    /** Waits for the upload {@link #seal} finished: the last parts, the first (the metadata), the completion. */
    public void completeUpload(@ExchangeProperty(RUN) DumpRun run) throws InterruptedException {
        try {
            run.upload.complete();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw failures.toFailure(e);
        }
    }

    private void startDocument(DumpRun run, List<DumpTable> tables) {
        try {
            run.document = new DumpDocument(settings.tmpDir(), settings.compression(), json,
                    metadataBound(run, tables));
        } catch (Exception e) {
            throw failures.failed("creating a temporary file in " + settings.tmpDir(), e);
        }
        if (run.document.headerLength() >= settings.storage().partSize()) {
            throw failures.failed("sizing the upload", new IllegalStateException("the metadata of " + tables.size()
                    + " tables needs parts larger than dump.s3.part-size=" + settings.storage().partSize()));
        }
        try {
            run.key = keys.allocate(settings.compression());
        } catch (Exception e) {
            throw failures.failed("choosing a key in bucket " + settings.storage().bucket(), e);
        }
        run.upload = new GrowingFileUpload(s3, settings.storage().bucket(), run.key,
                settings.compression().contentType(), run.document.file(), settings.storage().partSize(),
                // Two parts in flight: while one waits for the store's answer, the next is already sent.
                DaemonThreads.pool("database-dump-upload", 2));
    }

    /** The {@code sha256sum}-format file stored beside the dump, so a download can be checked with {@code sha256sum -c}. */
    public String checksumFile(@ExchangeProperty(RUN) DumpRun run, Exchange exchange) {
        run.stored = true;
        exchange.getMessage().removeHeaders("CamelAwsS3*");
        exchange.getMessage().setHeader(AWS2S3Constants.KEY, DumpKeys.checksumKey(run.key));
        exchange.getMessage().setHeader(AWS2S3Constants.CONTENT_TYPE, "text/plain; charset=utf-8");
        String fileName = run.key.substring(run.key.lastIndexOf('/') + 1);
        return run.sealed.sha256() + "  " + fileName + "\n";
    }

    /** Marks the dump complete; the body becomes the summary JSON (metadata, never data). */
    public String summary(@ExchangeProperty(RUN) DumpRun run, Exchange exchange) throws JsonProcessingException {
        exchange.getMessage().removeHeaders("CamelAwsS3*");
        run.completed = true;
        exchange.setProperty(STORED_KEY, run.key);
        DumpSummary summary = new DumpSummary(settings.storage().bucket(), run.key, run.sealed.sizeBytes(),
                run.sealed.sha256(), run.metadata);
        LOG.info("4/4 Dump stored: s3://{}/{} ({} bytes, sha256 {})", summary.bucket(), summary.key(),
                summary.sizeBytes(), summary.sha256());
        return json.writeValueAsString(summary);
    }

    /** Turns any failure of the route into a {@link DumpFailedException} with one clean line, and logs it. */
    public void failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        DumpRun run = exchange.getProperty(RUN, DumpRun.class);
        DumpFailedException failure;
        if (run != null && run.aborted) {
            failure = new DumpFailedException("the dump was stopped: the application is shutting down", caught);
        } else if (run != null && run.firstFailure.get() != null) {
            // Pieces read at once: the one that failed first, not one that stopped because of it.
            failure = run.firstFailure.get();
        } else {
            failure = failures.toFailure(caught);
        }
        exchange.setProperty(FAILURE, failure);
        LOG.error("Dump failed: {}", failure.getMessage());
        LOG.debug("Dump failure detail", caught);
    }

    /** Rethrows the failure to the caller. */
    public void fail(@ExchangeProperty(FAILURE) DumpFailedException failure) {
        throw failure;
    }

    /** Always last: ends the snapshot, deletes temporary files and, unless the dump completed, anything it stored. */
    public void close(Exchange exchange) {
        DumpRun run = exchange.getProperty(RUN, DumpRun.class);
        if (run == null) {
            return;
        }
        running.remove(run);
        // An interrupt meant for the upload must not break the clean-up calls below.
        if (run.uploader == Thread.currentThread()) {
            Thread.interrupted();
        }
        if (run.readers != null) {
            run.readers.close();
        }
        if (run.upload != null) {
            run.upload.abort();
        }
        if (run.document != null) {
            run.document.close();
        }
        if (!run.completed && run.key != null) {
            // Before the upload succeeded, what is at the key may be another dump's (a lost If-None-Match race).
            cleaner.removeUnfinished(run.key, run.stored || (run.upload != null && run.upload.completed()));
        }
    }

    /**
     * Stops every running dump now, when the application is shutting down: its database connection is cut and its
     * upload interrupted, so it fails at once and its normal clean-up runs (nothing left at the key, no open upload, no
     * temporary file) instead of being cut off when the shutdown timeout runs out.
     */
    public void abortRunning() {
        for (DumpRun run : running) {
            run.aborted = true;
            LOG.warn("Stopping the running dump: the application is shutting down");
            if (run.readers != null) {
                run.readers.abort();
            }
            Thread uploader = run.uploader;
            if (uploader != null) {
                uploader.interrupt();
            }
        }
    }

    // The longest metadata these tables can give: every count and the duration at their largest.
    private DumpMetadata metadataBound(DumpRun run, List<DumpTable> tables) {
        Map<String, TableSummary> largest = new LinkedHashMap<>();
        tables.forEach(table -> largest.put(tableKey(table), new TableSummary(Long.MAX_VALUE, table.columns())));
        return new DumpMetadata(DumpMetadata.FORMAT_VERSION, DateTimeFormatter.ISO_INSTANT.format(run.startedAt),
                settings.environment(), run.triggeredBy, DumpMetadata.Database.of(run.database), settings.schemas(),
                tables.size(), Long.MAX_VALUE, largest, Long.MAX_VALUE);
    }

    private DumpMetadata metadata(DumpRun run) {
        Map<String, TableSummary> tables = new LinkedHashMap<>();
        run.tablesByKey.keySet().forEach(key -> tables.put(key, run.tables.get(key)));
        return new DumpMetadata(DumpMetadata.FORMAT_VERSION, DateTimeFormatter.ISO_INSTANT.format(run.startedAt),
                settings.environment(), run.triggeredBy, DumpMetadata.Database.of(run.database), settings.schemas(),
                tables.size(), run.totalRows(), tables, (System.nanoTime() - run.startedNanos) / 1_000_000);
    }

    // With one schema the data keys are bare table names; with several, schema.table keeps them apart.
    private String tableKey(DumpTable table) {
        return settings.schemas().size() == 1 ? table.name() : table.displayName();
    }
}
