package dev.databasedump.restore;

import com.exceptionfactory.jagged.RecipientStanzaReader;

import dev.databasedump.database.SessionSettings;
import dev.databasedump.document.Age;
import dev.databasedump.document.DocumentProblem;
import dev.databasedump.document.DocumentReader;
import dev.databasedump.document.TableKeys;
import dev.databasedump.pipeline.AskedDump;
import dev.databasedump.pipeline.FailureMessages;
import dev.databasedump.restore.RestoreTarget.DumpTableName;
import dev.databasedump.settings.RestoreSettings;
import dev.databasedump.settings.TenantImportSettings;
import dev.databasedump.settings.TenantSettings;
import dev.databasedump.storage.DumpStore;

import java.io.IOException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The first step of a restore, {@link RestorePipeline#open}: the dump opened and its metadata read; the target's one
 * transaction begun under the dump's settings and checked before anything is written; then room made for the rows:
 * a whole restore needs its tables empty (or empties them, with {@code dump.restore.truncate}), a tenant import
 * ({@link TenantImport}) deletes or refuses the tenant's rows already there and stages the dump's; triggers and
 * foreign-key checks kept off the restored rows.
 */
final class RestoreOpening {

    private final DumpStore store;
    private final RestoreSettings settings;
    private final TenantSettings tenants;
    private final Supplier<DataSource> target;
    private final List<RecipientStanzaReader> identities;
    private final FailureMessages failures;

    RestoreOpening(DumpStore store, RestoreSettings settings, TenantSettings tenants, Supplier<DataSource> target,
            List<RecipientStanzaReader> identities, FailureMessages failures) {
        this.store = store;
        this.settings = settings;
        this.tenants = tenants;
        this.target = target;
        this.identities = identities;
        this.failures = failures;
    }

    /** Opens {@code asked} and the target; returns the dump's key. */
    String open(RestoreRun run, String asked, TenantImportSettings importing) {
        String key = readMetadata(run, asked);
        try {
            run.tenantImport = TenantImport.of(run.metadata, importing, tenants).orElse(null);
        } catch (RestoreRefusedException e) {
            throw failures.failure(e.getMessage() + "; nothing was restored", e);
        }
        if (run.tenantImport != null && settings.truncate()) {
            throw failures.failure("a tenant's data goes into a target that holds other data: dump.restore.truncate"
                    + " would empty every tenant's tables; unset it (dump.restore.tenant-mode=replace replaces the"
                    + " tenant's rows alone); nothing was restored", null);
        }
        beginTransaction(run);
        prepareTarget(run);
        return key;
    }

    private String readMetadata(RestoreRun run, String asked) {
        run.stored = AskedDump.open(store, failures, asked);
        String key = run.stored.key();
        if (run.stored.form().encrypted() && identities.isEmpty()) {
            throw failures.failure(key + " is encrypted: set dump.encryption.identity-file to an age identity file"
                    + " with a key it is encrypted to", null);
        }
        try {
            run.reader = new DocumentReader(run.stored.form().decode(run.stored.bytes(), identities));
            run.metadata = run.reader.open();
        } catch (Age.WrongIdentityException e) {
            throw failures.failure(e.getMessage(), e);
        } catch (DocumentProblem problem) {
            throw failures.failure("the dump cannot be restored: " + problem.getMessage(), problem);
        } catch (IOException e) {
            throw failures.failed("reading s3://" + store.bucket() + "/" + key, e);
        }
        return key;
    }

    private void beginTransaction(RestoreRun run) {
        try {
            run.session = RestoreSession.begin(target.get(), valueSettings(run));
            String[] described = run.session.describe();
            run.database = described[0];
            run.role = described[1];
            if (!run.session.tryLockRestores()) {
                throw failures.failure("another restore into database " + run.database + " is running", null);
            }
        } catch (SQLException e) {
            throw failures.failed("connecting to the target database", e);
        }
    }

    // The dump's own settings, so every value reads back as it was written; a format-1 dump was written under the
    // pinned ones and the server's money locale.
    private static Map<String, String> valueSettings(RestoreRun run) {
        Map<String, String> recorded = run.metadata.sessionSettings();
        return recorded != null ? recorded : SessionSettings.PINNED;
    }

    private void prepareTarget(RestoreRun run) {
        TableKeys keys = new TableKeys(run.metadata.schemas());
        Map<String, DumpTableName> chosen = new LinkedHashMap<>();
        Map<String, Map<String, String>> columnTypes = new LinkedHashMap<>();
        run.metadata.tablesSummary().forEach((key, summary) -> {
            TableKeys.Name name = keys.parse(key);
            if (settings.tables().accepts(name.schema(), name.name())) {
                chosen.put(key, new DumpTableName(name.schema(), name.name()));
                columnTypes.put(key, summary.columnTypes());
            }
        });
        run.target = new RestoreTarget(run.session.connection());
        try {
            List<TargetTable> tables = run.target.resolve(chosen, columnTypes);
            tables.forEach(table -> run.tables.put(table.dumpKey(), table));
            run.guard = TriggerGuard.quiet(run.session.connection(), tables, run.role);
            if (run.tenantImport != null) {
                run.tenantImport.begin(run.session.connection(), tables, run.metadata.schemas());
            } else {
                emptyTables(run, tables);
            }
            run.staging = RowStaging.create(run.session.connection());
        } catch (SQLException e) {
            throw failures.failed("preparing the target database " + run.database, e);
        } catch (RestoreRefusedException e) {
            throw failures.failure(e.getMessage() + "; nothing was restored", e);
        }
    }

    private void emptyTables(RestoreRun run, List<TargetTable> tables) throws SQLException, RestoreRefusedException {
        if (settings.truncate()) {
            run.target.truncate(tables);
            run.truncated = true;
            return;
        }
        List<String> nonEmpty = run.target.nonEmpty(tables);
        if (!nonEmpty.isEmpty()) {
            throw new RestoreRefusedException("the target's tables must be empty, and " + String.join(", ", nonEmpty)
                    + (nonEmpty.size() == 1 ? " is not" : " are not")
                    + " (set dump.restore.truncate=true to empty exactly the tables restored, in the same transaction,"
                    + " or restore one tenant with dump.restore.tenant)");
        }
    }
}
