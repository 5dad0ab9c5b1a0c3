package dev.databasedump.storage;

import dev.databasedump.document.StoredForm;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Names dumps by when they were taken, in their {@link DumpSpace}: {@code <prefix>full-dump-<yyyyMMdd'T'HHmmss.SSS'Z'><ext>}
 * or {@code <prefix>tenants/<tenant>/tenant-dump-<…><ext>}, and never hands out a key that is already taken: when two
 * dumps land on the same millisecond, the later one moves on to the next free millisecond.
 */
public final class DumpKeys {

    private static final DateTimeFormatter BASIC_UTC =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter BASIC_UTC_SECONDS =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_ATTEMPTS = 1000;

    private final S3Client s3;
    private final String bucket;

    public DumpKeys(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /**
     * A free key in {@code space} for a dump taken at {@code at}: its time, to the millisecond, or the next millisecond
     * that is free. The instant returned is the one in the key, so the dump's metadata can say the same.
     */
    public DumpKey allocate(DumpSpace space, StoredForm form, Instant at) {
        Instant candidate = at.truncatedTo(ChronoUnit.MILLIS);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String key = space.key(BASIC_UTC.format(candidate), form);
            if (!exists(s3, bucket, key)) {
                return new DumpKey(key, candidate);
            }
            candidate = candidate.plusMillis(1);
        }
        throw new IllegalStateException("no free dump key near " + candidate + " in bucket " + bucket);
    }

    /**
     * As {@link #allocate}, from a listing of the space's keys ({@code taken}) instead of a look at each: for a round's
     * tenant dump, whose listing was taken under the tenant's lock.
     */
    public static DumpKey freeAmong(DumpSpace space, StoredForm form, Instant at, java.util.Set<String> taken) {
        Instant candidate = at.truncatedTo(ChronoUnit.MILLIS);
        while (taken.contains(space.key(BASIC_UTC.format(candidate), form))) {
            candidate = candidate.plusMillis(1);
        }
        return new DumpKey(space.key(BASIC_UTC.format(candidate), form), candidate);
    }

    /** A dump's key and the instant it names. */
    public record DumpKey(String key, Instant takenAt) {
    }

    /** When a dump named by {@link #allocate} was taken. */
    public static Instant timestampOf(String timestamp) {
        return (timestamp.contains(".") ? BASIC_UTC : BASIC_UTC_SECONDS).parse(timestamp, Instant::from);
    }

    /** The {@code sha256sum}-format checksum file stored beside each dump. */
    public static String checksumKey(String dumpKey) {
        return dumpKey + ".sha256";
    }

    /** The report of the dump's last verification, stored beside it by whoever verified it. */
    public static String verificationKey(String dumpKey) {
        return dumpKey + VERIFICATION;
    }

    /** Whether {@code key} is a file stored beside a dump (its checksum, its verification), not a dump. */
    public static boolean isBesideADump(String key) {
        return key.endsWith(".sha256") || key.endsWith(VERIFICATION);
    }

    static final String VERIFICATION = ".verify.json";

    /** Whether an object is at {@code key}. */
    static boolean exists(S3Client s3, String bucket, String key) {
        try {
            s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
