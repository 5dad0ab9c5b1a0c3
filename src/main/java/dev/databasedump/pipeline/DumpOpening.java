package dev.databasedump.pipeline;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.database.DumpSnapshot;
import dev.databasedump.database.RowScope;
import dev.databasedump.database.StepFailedException;
import dev.databasedump.document.Age;
import dev.databasedump.document.DumpDocument;
import dev.databasedump.document.TableKeys;
import dev.databasedump.document.TempFiles.Swept;
import dev.databasedump.scope.RoundSnapshot;
import dev.databasedump.scope.RoundSnapshots;
import dev.databasedump.scope.TenantDirectory;
import dev.databasedump.scope.TenantRefusal;
import dev.databasedump.scope.TenantRows;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.storage.DumpKeys;
import dev.databasedump.storage.DumpSpace;
import dev.databasedump.storage.DumpStore;

import java.time.Clock;
import java.util.Set;
import java.util.List;
import javax.sql.DataSource;

/**
 * The first step of a dump, {@link DumpPipeline#open}: the bucket checked and cleared of what dumps that died left, the
 * key taken in the dump's space (full dumps', or the tenant's), the snapshot opened with its scope (every row, or the
 * tenant's), and the document and its upload started.
 */
final class DumpOpening {

    private final DumpSettings settings;
    private final DataSource dataSource;
    private final DumpStore store;
    private final Clock clock;
    private final ObjectMapper json;
    private final FailureMessages failures;
    private final TableKeys tableKeys;
    private final List<RecipientStanzaWriter> recipients;
    private final DumpMetadataBuilder metadata;
    private final Leftovers leftovers;
    private final TenantDirectory tenants;

    DumpOpening(DumpSettings settings, DataSource dataSource, DumpStore store, Clock clock, ObjectMapper json,
            FailureMessages failures, TableKeys tableKeys, DumpMetadataBuilder metadata) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.store = store;
        this.clock = clock;
        this.json = json;
        this.failures = failures;
        this.tableKeys = tableKeys;
        this.metadata = metadata;
        // Built once, at start: a recipient that does not decode stops the application naming its setting.
        this.recipients = Age.recipients(settings.encryption().recipients());
        this.leftovers = new Leftovers(settings, store, clock, failures);
        this.tenants = new TenantDirectory(() -> dataSource, settings);
    }

    void open(DumpRun run) {
        RowScope scope = scopeOf(run);
        DumpSnapshot snapshot = new DumpSnapshot(dataSource, settings, scope);
        sweepAndCheck();
        DumpSpace space = run.tenant == null ? store.fullDumps() : store.tenantDumps(run.tenant);
        try {
            // One instant names the key and is the metadata's exported_at.
            run.named(store.allocateKey(space, settings.storedForm(), clock.instant()));
            LogContext.key(run.key);
        } catch (RuntimeException e) {
            throw failures.failed("choosing a key in bucket " + store.bucket(), e);
        }
        run.snapshot = snapshot;
        try {
            snapshot.open();
        } catch (StepFailedException e) {
            throw failed(e);
        }
        opened(run);
    }

    /**
     * A tenant's dump in a round of them: the round checked the bucket, swept what dead dumps left and listed the
     * tenant as the database writes it; the dump reads in the round's snapshot, and its key names the instant the
     * snapshot was taken, as the key of the tenant's own dump at that instant would.
     */
    void openInRound(DumpRun run, RoundSnapshots round, Set<String> listedKeys) {
        settings.tenants().requireEnabled();
        RoundSnapshot.TenantSnapshot share;
        try {
            share = round.share(run.tenant);
        } catch (StepFailedException e) {
            throw failed(e);
        }
        run.snapshot = share;
        if (share.first()) {
            sweepAndCheck();
        }
        run.tenantRows = share.rows();
        // The round listed the folder of the tenant as it named it, under its lock: a key free there is free.
        boolean listed = listedKeys != null && run.tenant.equals(share.rows().canonicalTenant());
        run.tenant = share.rows().canonicalTenant();
        DumpSpace space = store.tenantDumps(run.tenant);
        try {
            run.named(listed ? DumpKeys.freeAmong(space, settings.storedForm(), share.takenAt(), listedKeys)
                    : store.allocateKey(space, settings.storedForm(), share.takenAt()));
            LogContext.key(run.key);
        } catch (RuntimeException e) {
            throw failures.failed("choosing a key in bucket " + store.bucket(), e);
        }
        opened(run);
        if (listed) {
            run.upload.keyLookedAtUnderLock();
        }
    }

    private void opened(DumpRun run) {
        run.snapshot.tables().forEach(table -> run.tablesByKey.put(tableKeys.of(table.schema(), table.name()), table));
        startDocument(run);
        run.progress.tablesToDo(run.tablesByKey.size());
    }

    private void sweepAndCheck() {
        Swept files = leftovers.sweepFiles();
        try {
            store.checkBucket();
        } catch (RuntimeException e) {
            throw failures.failed("checking bucket " + store.bucket(), e);
        }
        leftovers.sweepUploads(files);
    }

    private RowScope scopeOf(DumpRun run) {
        if (run.tenant == null) {
            return RowScope.EVERY_ROW;
        }
        try {
            settings.tenants().requireEnabled();
        } catch (InvalidSettingException e) {
            throw failures.failure("a dump of tenant " + run.tenant + " was asked for, but " + e.getMessage(), e);
        }
        // Before its key is taken: an id no tenant has stores nothing, and 01 is filed where 1 is.
        try {
            run.tenant = tenants.canonical(run.tenant);
        } catch (StepFailedException e) {
            throw failed(e);
        }
        run.tenantRows = new TenantRows(settings.tenants(), run.tenant,
                table -> tableKeys.of(table.schema(), table.name()));
        return run.tenantRows;
    }

    // A tenant no row can have is the caller's mistake (HTTP 400 or 404, exit code 2), not the dump's failure.
    private DumpFailedException failed(StepFailedException e) {
        if (e instanceof TenantRefusal refusal) {
            return new TenantRefusedException(refusal.getMessage(), refusal.unknown(), refusal);
        }
        return failures.failed(e);
    }

    private void startDocument(DumpRun run) {
        try {
            run.document = new DumpDocument(settings.tmpDir(), settings.compression(), recipients, json,
                    metadata.bound(run));
        } catch (Exception e) {
            throw failures.failed("creating a temporary file in " + settings.tmpDir(), e);
        }
        if (run.document.headerLength() >= settings.storage().partSize()) {
            throw failures.failed("sizing the upload", new IllegalStateException("the metadata of "
                    + run.tablesByKey.size() + " tables needs parts larger than dump.s3.part-size="
                    + settings.storage().partSize()));
        }
        // Parts in flight: while some wait for the store's answer, the next are already sent (at 2M rows of plain JSON,
        // four instead of two halved the tail left after the reading, 3 s to 1.7 s; six gained nothing), one more than
        // the readers, so that a store refusing parts sees at most that many before the reading stops.
        run.upload = store.upload(run.key, settings.storedForm().contentType(), run.document.file(),
                settings.reads().parallelism() + 1);
    }
}
