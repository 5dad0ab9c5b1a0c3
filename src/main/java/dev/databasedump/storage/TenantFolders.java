package dev.databasedump.storage;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.databasedump.settings.StorageSettings;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The tenants' folders under the prefix, as a round of tenant dumps reads them: all at once, for who has a dump of
 * this period already, and one tenant's, under its lock, before its dump.
 */
public final class TenantFolders {

    private final S3Client s3;
    private final StorageSettings storage;
    private final StoreErrors errors;

    TenantFolders(S3Client s3, StorageSettings storage, StoreErrors errors) {
        this.s3 = s3;
        this.storage = storage;
        this.errors = errors;
    }

    /**
     * When each tenant's newest dump was taken, for every tenant with a dump under the prefix: one listing of the
     * tenants' folders, a page per thousand objects.
     */
    public Map<String, Instant> newestTenantDumps() {
        Map<String, Instant> newest = new HashMap<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(storage.bucket()).prefix(storage.prefix() + DumpSpace.TENANTS).build()).contents()) {
                DumpSpace.of(storage.prefix(), object.key()).filter(DumpSpace::isTenant)
                        .filter(space -> !DumpKeys.isBesideADump(object.key()))
                        .ifPresent(space -> newest.merge(space.tenant(), takenAt(space, object.key()),
                                (a, b) -> a.isAfter(b) ? a : b));
            }
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
        return newest;
    }

    private static Instant takenAt(DumpSpace space, String key) {
        Matcher name = space.naming().matcher(key);
        name.matches();
        return DumpKeys.timestampOf(name.group(1));
    }

    /**
     * Every key in {@code space}'s folder, in one listing; empty when it holds a dump taken at or after {@code instant}
     * (by the time its key names): a round's look at a tenant, taken under the tenant's lock.
     */
    public Optional<Set<String>> keysUnlessDumpedSince(DumpSpace space, Instant instant) {
        Pattern naming = space.naming();
        Set<String> keys = new HashSet<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(storage.bucket()).prefix(space.folder()).build()).contents()) {
                Matcher name = naming.matcher(object.key());
                if (name.matches() && name.group(2) == null
                        && !DumpKeys.timestampOf(name.group(1)).isBefore(instant)) {
                    return Optional.empty();
                }
                keys.add(object.key());
            }
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
        return Optional.of(keys);
    }
}
