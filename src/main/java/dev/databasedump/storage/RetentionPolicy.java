package dev.databasedump.storage;

import dev.databasedump.pipeline.DumpPipeline;
import dev.databasedump.settings.RetentionSettings;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes old dumps after a successful one, as {@code dump.retention.keep-last} and {@code dump.retention.max-age}
 * say, among the dumps of the same {@link DumpSpace} as the one just written (full dumps, or that tenant's). Only keys
 * of this application's naming are ever touched (a dump and its .sha256 together), never the dump just written; a
 * failure is logged and never fails the dump.
 */
public final class RetentionPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPolicy.class);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final RetentionSettings retention;
    private final Clock clock;

    public RetentionPolicy(S3Client s3, String bucket, String prefix, RetentionSettings retention, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.retention = retention;
        this.clock = clock;
    }

    public void apply(@ExchangeProperty(DumpPipeline.STORED_KEY) String justWritten,
            @ExchangeProperty(DumpPipeline.ROUND) Object round) {
        if (!retention.enabled()) {
            return;
        }
        try {
            List<String> deleted = deleteExpired(justWritten);
            if (!deleted.isEmpty() && round == null) {
                LOG.info("Retention removed {} old dump(s): {}", deleted.size(), deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("Retention failed, old dumps were kept: {}", e.getMessage());
        }
    }

    /**
     * After a round of tenant dumps: the dumps of tenants no longer in its list, which no new dump of theirs will ever
     * weigh again, go once older than {@code dump.retention.max-age}, and only then; never for being absent, and never
     * by {@code keep-last} (their newest stay). Returns the keys of the dumps removed; a failure is logged.
     */
    public List<String> expireAbsentTenants(java.util.Set<String> listed) {
        if (retention.maxAge().isEmpty()) {
            return List.of();
        }
        Instant oldestKept = clock.instant().minus(retention.maxAge().get());
        List<String> deleted = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                    .prefix(prefix + DumpSpace.TENANTS).build()).contents()) {
                DumpSpace space = DumpSpace.of(prefix, object.key()).filter(DumpSpace::isTenant).orElse(null);
                if (space == null || listed.contains(space.tenant())) {
                    continue;
                }
                Matcher matcher = space.naming().matcher(object.key());
                if (matcher.matches() && DumpKeys.timestampOf(matcher.group(1)).isBefore(oldestKept)) {
                    s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(object.key()).build());
                    if (matcher.group(2) == null) {
                        deleted.add(object.key());
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Retention of the dumps of tenants no longer listed failed, they were kept: {}", e.getMessage());
        }
        if (!deleted.isEmpty()) {
            LOG.info("Retention removed {} dump(s) of tenants no longer listed, older than {}: {}", deleted.size(),
                    retention.maxAge().get(), deleted);
        }
        return deleted;
    }

    // In the space of the dump just written only: a tenant's dumps are kept per tenant, never weighed against others.
    private List<String> deleteExpired(String justWritten) {
        DumpSpace space = DumpSpace.of(prefix, justWritten).orElse(DumpSpace.full(prefix));
        Pattern naming = space.naming();
        // Dump key (newest first) -> its objects: the dump and, when present, its checksum file.
        Map<String, List<String>> dumps = new TreeMap<>(Comparator.reverseOrder());
        Map<String, Instant> takenAt = new HashMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket)
                .prefix(space.folder()).build()).contents()) {
            Matcher matcher = naming.matcher(object.key());
            if (matcher.matches()) {
                String dumpKey = matcher.group(2) == null ? object.key()
                        : object.key().substring(0, object.key().length() - matcher.group(2).length());
                dumps.computeIfAbsent(dumpKey, k -> new ArrayList<>()).add(object.key());
                takenAt.put(dumpKey, DumpKeys.timestampOf(matcher.group(1)));
            }
        }
        Instant oldestKept = retention.maxAge().map(age -> clock.instant().minus(age)).orElse(Instant.MIN);
        List<String> deleted = new ArrayList<>();
        int rank = 0;
        for (Map.Entry<String, List<String>> dump : dumps.entrySet()) {
            int newerDumps = rank++;
            if (dump.getKey().equals(justWritten)) {
                continue;
            }
            boolean beyondCount = retention.keepLast().isPresent() && newerDumps >= retention.keepLast().get();
            boolean tooOld = takenAt.get(dump.getKey()).isBefore(oldestKept);
            if (beyondCount || tooOld) {
                for (String key : dump.getValue()) {
                    s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
                }
                deleted.add(dump.getKey());
            }
        }
        return deleted;
    }
}
