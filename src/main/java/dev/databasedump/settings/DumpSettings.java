package dev.databasedump.settings;

import dev.databasedump.document.StoredForm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything one dump needs to know, read once at start from the {@code dump.} keys and validated here, so a bad
 * value stops the application before any dump runs, with a message naming the key. Each key and its default is
 * documented in docs/configuration.md.
 *
 * @param database    where to read from
 * @param storage     where to store
 * @param schemas     schemas whose tables are dumped ({@code dump.schemas})
 * @param tables      include/exclude globs
 * @param allowEmpty  store a dump with no table at all instead of failing ({@code dump.allow-empty})
 * @param reads       connections reading at once and the size of the pieces large tables are cut into
 * @param environment label written into the metadata ({@code dump.environment})
 * @param compression how the stored object is encoded ({@code dump.compression})
 * @param tmpDir      where the document and the pieces being read are written; always cleaned up
 *                    ({@code dump.tmp-dir})
 * @param lockTimeout how long to wait for a table lock before failing ({@code dump.lock-timeout})
 * @param retention   which stored dumps to keep after each successful dump
 * @param notification who is told when a dump finishes
 * @param encryption  who can read dumps (age recipients, the identity verify and restore read with), and the store's
 *                    own encryption ({@code dump.encryption.} keys, {@code dump.s3.server-side-encryption})
 * @param restore     where and how dumps are restored ({@code dump.restore.} keys)
 * @param verifyAfterUpload read every dump back from the store and verify it right after it is stored
 *                    ({@code dump.verify-after-upload})
 * @param staleAfter  age from which an open multipart upload of ours, or one of our temporary files, counts as left by
 *                    a dump that died, and is removed before the next dump ({@code dump.cleanup.stale-after})
 * @param tenants     how one tenant's rows are told apart, for tenant dumps ({@code dump.tenant.} keys)
 */
public record DumpSettings(DatabaseSettings database, StorageSettings storage, List<String> schemas,
        TableFilter tables, boolean allowEmpty, ParallelReads reads, String environment,
        Compression compression, Path tmpDir, Duration lockTimeout, RetentionSettings retention,
        NotifySettings notification, EncryptionSettings encryption, RestoreSettings restore, boolean verifyAfterUpload,
        Duration staleAfter, TenantSettings tenants) {

    public DumpSettings {
        schemas = List.copyOf(schemas);
        if (schemas.isEmpty()) {
            throw new InvalidSettingException("dump.schemas", "name at least one schema");
        }
        if (lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new InvalidSettingException("dump.lock-timeout", "must be positive, got " + lockTimeout);
        }
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new InvalidSettingException("dump.cleanup.stale-after", "must be positive, got " + staleAfter);
        }
    }

    /** Reads and validates every {@code dump.} key; unset keys take the defaults documented in docs/configuration.md. */
    public static DumpSettings load(PropertyLookup properties) {
        SettingValues s = new SettingValues(properties);
        DatabaseSettings database = new DatabaseSettings(
                s.text("dump.db.url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                s.text("dump.db.user", "postgres"),
                s.text("dump.db.password", ""));
        StorageSettings storage = new StorageSettings(
                s.text("dump.s3.bucket", "import-exports"),
                s.text("dump.s3.prefix", "dumps/"),
                s.text("dump.s3.region", "us-east-1"),
                s.uri("dump.s3.endpoint"),
                s.bool("dump.s3.path-style", false),
                s.text("dump.s3.access-key", ""),
                s.text("dump.s3.secret-key", ""),
                s.longNumber("dump.s3.part-size", 16L * 1024 * 1024),
                s.duration("dump.s3.request-timeout", StorageSettings.DEFAULT_REQUEST_TIMEOUT));
        return new DumpSettings(database, storage,
                s.list("dump.schemas", "public"),
                new TableFilter(s.list("dump.include-tables", ""), s.list("dump.exclude-tables", "")),
                s.bool("dump.allow-empty", false),
                new ParallelReads((int) s.longNumber("dump.parallelism", ParallelReads.defaultParallelism()),
                        s.longNumber("dump.piece-rows", 250_000)),
                s.text("dump.environment", "production"),
                Compression.parse("dump.compression", s.text("dump.compression", "none")),
                Path.of(s.text("dump.tmp-dir", System.getProperty("java.io.tmpdir"))),
                s.duration("dump.lock-timeout", "30s"),
                new RetentionSettings(s.optional("dump.retention.keep-last").map(v -> (int) s.longNumber(
                        "dump.retention.keep-last", 0)), s.optionalDuration("dump.retention.max-age")),
                new NotifySettings(s.uri("dump.notify.webhook-url"), (int) s.longNumber("dump.notify.attempts", 3)),
                EncryptionSettings.load(s),
                RestoreSettings.load(properties),
                s.bool("dump.verify-after-upload", false),
                s.duration("dump.cleanup.stale-after", "24h"),
                TenantSettings.load(s));
    }

    /** How the dump is stored, which its key's extension says. */
    public StoredForm storedForm() {
        return new StoredForm(compression, encryption.encrypts());
    }

    /** The values that must never reach a log, an error or a dump. */
    public List<String> secrets() {
        List<String> secrets = new java.util.ArrayList<>(List.of(database.password(), storage.secretKey()));
        secrets.addAll(restore.secrets());
        return List.copyOf(secrets);
    }
}
