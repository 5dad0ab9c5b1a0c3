package dev.databasedump.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.database.DumpTable;
import dev.databasedump.database.SnapshotSession;
import dev.databasedump.database.TableCatalog;
import dev.databasedump.database.TableLockException;
import dev.databasedump.database.TableRowReader;
import dev.databasedump.document.DumpDocument;
import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.DumpMetadata.TableSummary;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.storage.DumpKeys;
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

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of the {@code database-dump} route, in route order: {@link #open}, {@link #exportTable} per table,
 * {@link #seal}, the upload, {@link #checksumFile}, the upload, {@link #summary}; on failure {@link #failure} makes one
 * clean line of it and {@link #fail} rethrows it; {@link #close} always runs last.
 */
public final class DumpPipeline {

    /** Exchange property carrying the {@link DumpRun}. */
    public static final String RUN = "databaseDumpRun";
    /** Exchange property with the key of the dump just stored, for the steps after it. */
    public static final String STORED_KEY = "databaseDumpStoredKey";
    /** Exchange property with the failure of this dump, as one clean line, for the steps that report it. */
    public static final String FAILURE = "databaseDumpFailure";
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
    private final Set<DumpRun> running = ConcurrentHashMap.newKeySet();

    public DumpPipeline(DumpSettings settings, DataSource dataSource, DumpKeys keys, PartialUploadCleaner cleaner,
            Clock clock, ObjectMapper json) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.keys = keys;
        this.cleaner = cleaner;
        this.clock = clock;
        this.json = json;
        this.failures = new FailureMessages(settings.secrets(), "s3://" + settings.storage().bucket());
        this.catalog = new TableCatalog(settings.schemas(), settings.tables());
        this.reader = new TableRowReader(settings.pageSize());
    }

    /** Opens the snapshot, lists and locks the tables; the body becomes the tables to split over. */
    public List<DumpTable> open(Exchange exchange) {
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
        try {
            run.session = SnapshotSession.open(dataSource, settings.lockTimeout());
            tables = catalog.list(run.session.connection());
            run.database = run.session.describeDatabase();
        } catch (Exception e) {
            throw failures.failed("opening a snapshot of the database", e);
        }
        try {
            run.session.lockShared(tables);
        } catch (TableLockException e) {
            throw failures.failed("locking table " + e.table().displayName(), e);
        }
        try {
            run.document = new DumpDocument(settings.tmpDir(), settings.compression(), json,
                    metadataBound(run, tables));
        } catch (Exception e) {
            throw failures.failed("creating a temporary file in " + settings.tmpDir(), e);
        }
        run.progress.tablesToDo(tables.size());
        LOG.info("1/4 Snapshot open on database {}: dumping {} tables of schemas {}", run.database.name(),
                tables.size(), settings.schemas());
        return tables;
    }

    public void exportTable(DumpTable table, @ExchangeProperty(RUN) DumpRun run) {
        long started = System.nanoTime();
        String key = tableKey(table);
        long rows;
        try {
            run.document.beginTable(key);
            rows = reader.read(run.session.connection(), table, row -> {
                run.document.row(row);
                run.progress.rowDone();
            });
            run.document.endTable();
        } catch (Exception e) {
            throw failures.failed("reading table " + table.displayName(), e);
        }
        run.tables.put(key, new TableSummary(rows, table.columns()));
        run.progress.tableDone();
        LOG.info("2/4 Exported {} rows of {} in {} ms", rows, table.displayName(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Ends the snapshot, writes the final document and names its key; the body becomes the file to upload. */
    public File seal(@ExchangeProperty(RUN) DumpRun run, Exchange exchange) {
        run.session.close();
        run.metadata = metadata(run);
        try {
            run.sealed = run.document.seal(run.metadata);
        } catch (Exception e) {
            throw failures.failed("writing the dump to " + settings.tmpDir(), e);
        }
        try {
            run.key = keys.allocate(settings.compression());
        } catch (Exception e) {
            throw failures.failed("choosing a key in bucket " + settings.storage().bucket(), e);
        }
        LOG.info("3/4 Uploading {} bytes ({} rows) to s3://{}/{}", run.sealed.sizeBytes(), run.metadata.totalRows(),
                settings.storage().bucket(), run.key);
        exchange.getMessage().setHeader(AWS2S3Constants.KEY, run.key);
        exchange.getMessage().setHeader(AWS2S3Constants.CONTENT_TYPE, settings.compression().contentType());
        run.uploader = Thread.currentThread();
        return run.sealed.file().toFile();
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
        DumpFailedException failure = run != null && run.aborted
                ? new DumpFailedException("the dump was stopped: the application is shutting down", caught)
                : failures.toFailure(caught);
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
        if (run.session != null) {
            run.session.close();
        }
        if (run.document != null) {
            run.document.close();
        }
        if (!run.completed && run.key != null) {
            // Before the upload succeeded, what is at the key may be another dump's (a lost If-None-Match race).
            cleaner.removeUnfinished(run.key, run.stored);
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
            if (run.session != null) {
                run.session.abort();
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
        return new DumpMetadata(DumpMetadata.FORMAT_VERSION, DateTimeFormatter.ISO_INSTANT.format(run.startedAt),
                settings.environment(), run.triggeredBy, DumpMetadata.Database.of(run.database), settings.schemas(), run.tables.size(),
                run.totalRows(), run.tables, (System.nanoTime() - run.startedNanos) / 1_000_000);
    }

    // With one schema the data keys are bare table names; with several, schema.table keeps them apart.
    private String tableKey(DumpTable table) {
        return settings.schemas().size() == 1 ? table.name() : table.displayName();
    }
}
