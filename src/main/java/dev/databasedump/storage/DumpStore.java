package dev.databasedump.storage;

import dev.databasedump.DaemonThreads;
import dev.databasedump.document.StoredForm;
import dev.databasedump.settings.Compression;
import dev.databasedump.settings.DumpSettings;
import dev.databasedump.settings.EncryptionSettings;
import dev.databasedump.settings.StorageSettings;
import dev.databasedump.storage.DumpKeys.DumpKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bucket as database-dump uses it. A dump, in the order it does: check it, take a key, upload the document, store
 * its checksum file; after a failure, remove what was stored. Verify and restore: find a dump (or the latest) and
 * read it back with the SHA-256 its checksum file expects. Every answer the store refuses with is explained by
 * {@link StoreErrors}.
 */
public final class DumpStore {


    private static final Logger LOG = LoggerFactory.getLogger(DumpStore.class);

    private final S3Client s3;
    private final StorageSettings storage;
    private final EncryptionSettings encryption;
    private final Clock clock;
    private final DumpKeys keys;
    private final StoreErrors errors;
    private final DumpFacts facts;
    private final TenantFolders tenantFolders;

    public DumpStore(S3Client s3, StorageSettings storage, Compression compression, EncryptionSettings encryption,
            Clock clock) {
        this.s3 = s3;
        this.storage = storage;
        this.encryption = encryption;
        this.clock = clock;
        this.keys = new DumpKeys(s3, storage.bucket());
        this.errors = new StoreErrors(storage.bucket(), storage.endpoint(), compression, storage.requestTimeout());
        this.facts = new DumpFacts(s3, storage.bucket(), ObjectHeaders.of("application/json", encryption));
        this.tenantFolders = new TenantFolders(s3, storage, errors);
    }

    /** What a listing shows of each dump without reading it, and where a verification's verdict is kept. */
    public DumpFacts facts() {
        return facts;
    }

    /** The store as the {@code dump.} settings describe it. */
    public static DumpStore of(S3Client s3, DumpSettings settings, Clock clock) {
        return new DumpStore(s3, settings.storage(), settings.compression(), settings.encryption(), clock);
    }

    public String bucket() {
        return storage.bucket();
    }

    /**
     * Fails fast, before any table is read, when the bucket is missing, these credentials cannot reach it or the
     * endpoint is not an S3 API. A listing, not a HEAD: its error answers have a body that says which.
     */
    public void checkBucket() {
        ListObjectsV2Response listing;
        try {
            listing = s3.listObjectsV2(ListObjectsV2Request.builder().bucket(storage.bucket())
                    .prefix(storage.prefix()).maxKeys(1).build());
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
        // Any well-formed XML (a web page, say) reads as an empty listing; an S3 listing names its bucket.
        if (!storage.bucket().equals(listing.name())) {
            throw errors.notAnS3Api("a listing that does not name bucket " + storage.bucket());
        }
    }

    /**
     * Aborts the open uploads that dumps which died left: those at our keys whose dump started more than
     * {@code staleAfter} ago. Returns their keys.
     */
    public List<String> abortStaleUploads(Duration staleAfter) {
        try {
            return StaleUploads.abort(s3, storage.bucket(), storage.prefix(), staleAfter, clock);
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
    }

    /** Full dumps' space in the bucket. */
    public DumpSpace fullDumps() {
        return DumpSpace.full(storage.prefix());
    }

    /** {@code tenant}'s dumps' space in the bucket. */
    public DumpSpace tenantDumps(String tenant) {
        return DumpSpace.tenant(storage.prefix(), tenant);
    }

    /** A free key in {@code space} for a dump taken at {@code at}, or at the next free millisecond. */
    public DumpKey allocateKey(DumpSpace space, StoredForm form, Instant at) {
        try {
            return keys.allocate(space, form, at);
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
    }

    /** Whether an object is at {@code key}. */
    public boolean exists(String key) {
        try {
            return DumpKeys.exists(s3, storage.bucket(), key);
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
    }

    /** The full dumps under the prefix, newest first (checksum files and anything not of our naming left out). */
    public List<StoredDump> list() {
        return list(fullDumps());
    }

    /** The dumps of {@code space}, newest first. */
    public List<StoredDump> list(DumpSpace space) {
        Pattern naming = space.naming();
        List<StoredDump> dumps = new ArrayList<>();
        Map<String, Instant> verified = new HashMap<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(storage.bucket()).prefix(space.folder()).build()).contents()) {
                Matcher name = naming.matcher(object.key());
                if (name.matches() && name.group(2) == null) {
                    dumps.add(new StoredDump(object.key(), object.size(), object.lastModified(),
                            DumpKeys.timestampOf(name.group(1)), null));
                } else if (name.matches() && name.group(2).equals(DumpKeys.VERIFICATION)) {
                    verified.put(object.key().substring(0, object.key().length() - DumpKeys.VERIFICATION.length()),
                            object.lastModified());
                }
            }
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
        dumps.replaceAll(dump -> dump.verifiedAt(verified.get(dump.key())));
        // The key carries the UTC timestamp, so key order is time order.
        dumps.sort(Comparator.comparing(StoredDump::key).reversed());
        return dumps;
    }

    /** {@code key} itself, or for {@code latest} the newest full dump under the prefix. */
    public String resolve(String keyOrLatest) {
        return resolve(keyOrLatest, fullDumps());
    }

    /** {@code key} itself, or for {@code latest} the newest dump of {@code space}. */
    public String resolve(String keyOrLatest, DumpSpace space) {
        if (!"latest".equals(keyOrLatest)) {
            return keyOrLatest;
        }
        return list(space).stream().findFirst().map(StoredDump::key).orElseThrow(() -> new StoreException(
                "there is no dump under s3://" + storage.bucket() + "/" + space.folder() + " to take as latest",
                null));
    }

    /**
     * Opens a stored dump for reading, with the SHA-256 its checksum file expects (none when that file is missing).
     * Only keys of this application's dumps under the prefix are opened.
     */
    public StoredDumpStream open(String key) {
        Optional<StoredForm> form = StoredForm.ofKey(key);
        if (DumpSpace.of(storage.prefix(), key).isEmpty() || DumpKeys.isBesideADump(key) || form.isEmpty()) {
            throw new StoreException(key + " is not a dump of this application: dump keys look like "
                    + storage.prefix() + "full-dump-<yyyyMMdd'T'HHmmss.SSS'Z'>.json or " + storage.prefix()
                    + "tenants/<tenant>/tenant-dump-<…>.json, or say latest", null);
        }
        String expected = expectedSha256(key);
        try {
            return new StoredDumpStream(key, form.get(), expected, s3.getObject(GetObjectRequest.builder()
                    .bucket(storage.bucket()).key(key).build()));
        } catch (NoSuchKeyException e) {
            throw new StoreException("there is no dump at s3://" + storage.bucket() + "/" + key, e);
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
    }

    // The first word of the sha256sum-format line; null when there is no checksum file.
    private String expectedSha256(String key) {
        try {
            String line = s3.getObjectAsBytes(GetObjectRequest.builder().bucket(storage.bucket())
                    .key(DumpKeys.checksumKey(key)).build()).asUtf8String().strip();
            int space = line.indexOf(' ');
            return (space < 0 ? line : line.substring(0, space)).toLowerCase(Locale.ROOT);
        } catch (NoSuchKeyException e) {
            return null;
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
    }

    /** The tenants' folders, as a round of tenant dumps reads them. */
    public TenantFolders tenantFolders() {
        return tenantFolders;
    }

    /** Whether the bucket holds a dump taken at or after {@code instant} (by the time its key names). */
    public boolean holdsDumpSince(Instant instant) {
        return list().stream().findFirst().map(newest -> !newest.takenAt().isBefore(instant)).orElse(false);
    }

    /**
     * A dump in the bucket.
     *
     * @param takenAt    when the dump started, as its key names it
     * @param verifiedAt when its verification report was stored beside it; null when it has none
     */
    public record StoredDump(String key, long sizeBytes, Instant lastModified, Instant takenAt, Instant verifiedAt) {

        StoredDump verifiedAt(Instant at) {
            return new StoredDump(key, sizeBytes, lastModified, takenAt, at);
        }
    }

    /**
     * The upload of {@code file} to {@code key}, which starts as soon as the file has two final parts; stored with
     * {@code contentType} and the store's own encryption, where asked.
     */
    public GrowingFileUpload upload(String key, String contentType, Path file, int partsInFlight) {
        return new GrowingFileUpload(s3, storage.bucket(), key, ObjectHeaders.of(contentType, encryption), file,
                storage.partSize(), DaemonThreads.pool("database-dump-upload", partsInFlight), partsInFlight, errors);
    }

    /**
     * The {@code sha256sum}-format file beside the dump, so a download can be checked with {@code sha256sum -c}; its
     * object metadata carries what a listing shows of the dump ({@link DumpFacts}), read without downloading it.
     */
    public void storeChecksum(String dumpKey, String sha256, Map<String, String> facts) {
        String fileName = dumpKey.substring(dumpKey.lastIndexOf('/') + 1);
        byte[] line = (sha256 + "  " + fileName + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            s3.putObject(ObjectHeaders.of("text/plain; charset=utf-8", encryption).applyTo(PutObjectRequest.builder()
                    .bucket(storage.bucket()).key(DumpKeys.checksumKey(dumpKey)).contentLength((long) line.length)
                    .metadata(facts)).build(), RequestBody.fromBytes(line));
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
    }

    /**
     * After a failure: removes the dump, its checksum file and its verification, when the dump had reached the bucket;
     * never throws.
     */
    public void discard(String dumpKey, boolean stored) {
        if (stored) {
            delete(DumpKeys.checksumKey(dumpKey));
            delete(DumpKeys.verificationKey(dumpKey));
            delete(dumpKey);
        }
    }

    private void delete(String key) {
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(storage.bucket()).key(key).build());
            LOG.info("Removed s3://{}/{} of the failed dump", storage.bucket(), key);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove s3://{}/{} after a failed dump: {}", storage.bucket(), key, e.getMessage());
        }
    }
}
