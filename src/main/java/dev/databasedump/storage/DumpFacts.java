package dev.databasedump.storage;

import dev.databasedump.DaemonThreads;
import dev.databasedump.storage.DumpStore.StoredDump;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What a listing shows of each dump without reading it: the facts the dump wrote into its checksum file's object
 * metadata when it was stored (time, rows, tables, duration, form), and the verdict of its last verification, whose
 * report is stored beside it ({@code <key>.verify.json}, verdict in its metadata). Each costs a HEAD; a dump's facts
 * never change, so they are asked once per process.
 */
public final class DumpFacts {

    private static final Logger LOG = LoggerFactory.getLogger(DumpFacts.class);
    private static final String EXPORTED_AT = "dump-exported-at";
    private static final String ROWS = "dump-rows";
    private static final String TABLES = "dump-tables";
    private static final String DURATION = "dump-duration-ms";
    private static final String COMPRESSION = "dump-compression";
    private static final String ENCRYPTED = "dump-encrypted";
    private static final String VERIFIED_OK = "verify-ok";
    private static final String VERIFIED_AT = "verify-at";
    private static final int HEADS_AT_ONCE = 8;

    private final S3Client s3;
    private final String bucket;
    private final ObjectHeaders reportHeaders;
    private final Map<String, Facts> known = new ConcurrentHashMap<>();
    private final ExecutorService heads = DaemonThreads.occasional("database-dump-facts", HEADS_AT_ONCE);

    DumpFacts(S3Client s3, String bucket, ObjectHeaders reportHeaders) {
        this.s3 = s3;
        this.bucket = bucket;
        this.reportHeaders = reportHeaders;
    }

    /** The checksum file's metadata for a dump: what a listing shows of it. */
    public static Map<String, String> of(Instant exportedAt, long rows, int tables, long durationMs,
            String compression, boolean encrypted) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put(EXPORTED_AT, exportedAt.toString());
        facts.put(ROWS, Long.toString(rows));
        facts.put(TABLES, Integer.toString(tables));
        facts.put(DURATION, Long.toString(durationMs));
        facts.put(COMPRESSION, compression);
        facts.put(ENCRYPTED, Boolean.toString(encrypted));
        return facts;
    }

    /**
     * What a dump's checksum file says of it; each field null where it does not (a dump stored before these were
     * written).
     */
    public record Facts(String exportedAt, Long rows, Integer tables, Long durationMs, String compression,
            Boolean encrypted) {

        static final Facts NONE = new Facts(null, null, null, null, null, null);
    }

    /** A dump's last verification: its verdict and when. */
    public record Verification(boolean ok, String at) {
    }

    /** A dump with what is known of it. */
    public record Described(StoredDump dump, Facts facts, Verification verification) {
    }

    /** The dumps, each with its facts and its last verification, in the same order. */
    public List<Described> describe(List<StoredDump> dumps) {
        List<Future<Described>> asked = new ArrayList<>();
        for (StoredDump dump : dumps) {
            asked.add(heads.submit(() -> new Described(dump, facts(dump.key()), verification(dump))));
        }
        List<Described> described = new ArrayList<>();
        for (Future<Described> answer : asked) {
            try {
                described.add(answer.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing the dumps", e);
            }
        }
        return described;
    }

    /**
     * Stores a verification's report beside the dump, its verdict in the metadata, for the listing to show. Never
     * throws: a verification with read-only credentials still gives its verdict to its caller.
     */
    public void recordVerification(String dumpKey, String reportJson, boolean ok, Instant at) {
        byte[] report = reportJson.getBytes(StandardCharsets.UTF_8);
        try {
            s3.putObject(reportHeaders.applyTo(PutObjectRequest.builder().bucket(bucket)
                    .key(DumpKeys.verificationKey(dumpKey)).contentLength((long) report.length)
                    .metadata(Map.of(VERIFIED_OK, Boolean.toString(ok), VERIFIED_AT, at.toString()))).build(),
                    RequestBody.fromBytes(report));
        } catch (RuntimeException e) {
            LOG.warn("Could not store the verification of s3://{}/{} beside it (the listing will not show it): {}",
                    bucket, dumpKey, e.getMessage());
        }
    }

    private Facts facts(String key) {
        Facts facts = known.get(key);
        if (facts != null) {
            return facts;
        }
        Optional<Map<String, String>> metadata = head(DumpKeys.checksumKey(key));
        facts = metadata.map(m -> new Facts(m.get(EXPORTED_AT), number(m.get(ROWS)),
                Optional.ofNullable(number(m.get(TABLES))).map(Long::intValue).orElse(null), number(m.get(DURATION)),
                m.get(COMPRESSION), m.containsKey(ENCRYPTED) ? Boolean.valueOf(m.get(ENCRYPTED)) : null))
                .orElse(Facts.NONE);
        if (metadata.isPresent()) {
            known.put(key, facts);
        }
        return facts;
    }

    private Verification verification(StoredDump dump) {
        if (dump.verifiedAt() == null) {
            return null;
        }
        return head(DumpKeys.verificationKey(dump.key())).filter(m -> m.containsKey(VERIFIED_OK))
                .map(m -> new Verification(Boolean.parseBoolean(m.get(VERIFIED_OK)),
                        m.getOrDefault(VERIFIED_AT, dump.verifiedAt().toString())))
                .orElse(null);
    }

    private Optional<Map<String, String>> head(String key) {
        try {
            HeadObjectResponse head = s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
            return Optional.of(head.metadata());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Long number(String text) {
        try {
            return text == null ? null : Long.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
