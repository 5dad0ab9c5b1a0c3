package dev.databasedump.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.databasedump.settings.StorageSettings;
import dev.databasedump.storage.DumpFacts;
import dev.databasedump.storage.DumpKeys;
import dev.databasedump.storage.DumpSpace;
import dev.databasedump.storage.StoreException;
import dev.databasedump.storage.DumpStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The dumps in the bucket, as admins see them: listings by {@link DumpSpace} (full dumps, or one tenant's), the keys a
 * caller may name, and short-lived download links for dumps only. Links are signed with the same client the dumps are
 * stored with (a host's own, when it gives one).
 */
public final class StoredDumps implements AutoCloseable {

    private final Supplier<DumpStore> store;
    private final Supplier<S3Client> s3;
    private final String prefix;
    private final boolean pathStyle;
    private final Duration linkLifetime;
    private final Clock clock;
    private S3Presigner presigner;

    public StoredDumps(Supplier<DumpStore> store, Supplier<S3Client> s3, StorageSettings storage, Duration linkLifetime,
            Clock clock) {
        this.store = store;
        this.s3 = s3;
        this.prefix = storage.prefix();
        this.pathStyle = storage.pathStyle();
        this.linkLifetime = linkLifetime;
        this.clock = clock;
    }

    /** Full dumps, or (non-null {@code tenant}) that tenant's. */
    public DumpSpace space(String tenant) {
        return tenant == null ? DumpSpace.full(prefix) : DumpSpace.tenant(prefix, tenant);
    }

    /** The space of a key this application writes (a dump or its checksum file, full or a tenant's); else 400. */
    public DumpSpace spaceOf(String key) {
        return DumpSpace.of(prefix, key).orElseThrow(() -> ApiException.badRequest("invalid_key", "key must name a"
                + " dump under " + prefix + " (or under " + prefix + "tenants/<tenant>/)"));
    }

    /** Whether {@code key} is a key of {@code space}'s (a dump or its checksum file), whether or not it exists. */
    public boolean holds(DumpSpace space, String key) {
        return DumpSpace.of(prefix, key).filter(space::equals).isPresent();
    }

    /**
     * The dumps of {@code space}, newest first (files beside them and foreign objects left out), each with what its
     * checksum file's metadata says of it and its last verification's verdict, read without downloading it.
     */
    public List<Entry> list(DumpSpace space) {
        return store.get().facts().describe(store.get().list(space)).stream().map(Entry::of).toList();
    }

    /**
     * A dump a caller names for a verification or a restore: a dump of this application that is in the bucket, or
     * {@code latest}, the newest of {@code space}; else 400 or 404.
     */
    public String existingDump(String key, DumpSpace space) {
        if (key.equals("latest")) {
            try {
                return space.isTenant() ? store.get().resolve(key, space) : key;
            } catch (StoreException none) {
                throw ApiException.notFound();
            }
        }
        spaceOf(key);
        if (DumpKeys.isBesideADump(key)) {
            throw ApiException.badRequest("invalid_key", "key must name a dump, not a file beside it");
        }
        if (!store.get().exists(key)) {
            throw ApiException.notFound();
        }
        return key;
    }

    /** A presigned GET for one dump (or its checksum file); other keys are refused. */
    public Link link(String key) {
        spaceOf(key);
        if (!store.get().exists(key)) {
            throw ApiException.notFound();
        }
        Instant expiresAt = clock.instant().plus(linkLifetime);
        String url = presigner().presignGetObject(r -> r.signatureDuration(linkLifetime)
                .getObjectRequest(GetObjectRequest.builder().bucket(store.get().bucket()).key(key).build()))
                .url().toString();
        return new Link(url, expiresAt.toString());
    }

    // Signed as the client signs: its region, credentials and endpoint. The client does not say whether it addresses
    // buckets by path, so dump.s3.path-style does.
    private synchronized S3Presigner presigner() {
        if (presigner == null) {
            S3Client client = s3.get();
            S3ServiceClientConfiguration config = client.serviceClientConfiguration();
            S3Presigner.Builder builder = S3Presigner.builder().s3Client(client).region(config.region())
                    .credentialsProvider(config.credentialsProvider())
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(pathStyle).build());
            config.endpointOverride().ifPresent(builder::endpointOverride);
            presigner = builder.build();
        }
        return presigner;
    }

    @Override
    public synchronized void close() {
        if (presigner != null) {
            presigner.close();
        }
    }

    /**
     * A dump as a listing shows it. The fields after {@code last_modified} are absent for a dump stored before they
     * were written; {@code verified} until it has been verified.
     */
    @JsonPropertyOrder({"key", "size_bytes", "last_modified", "exported_at", "rows", "tables", "duration_ms",
            "compression", "encrypted", "verified"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(@JsonProperty("key") String key, @JsonProperty("size_bytes") long sizeBytes,
            @JsonProperty("last_modified") String lastModified, @JsonProperty("exported_at") String exportedAt,
            @JsonProperty("rows") Long rows, @JsonProperty("tables") Integer tables,
            @JsonProperty("duration_ms") Long durationMs, @JsonProperty("compression") String compression,
            @JsonProperty("encrypted") Boolean encrypted,
            @JsonProperty("verified") DumpFacts.Verification verified) {

        static Entry of(DumpFacts.Described described) {
            DumpStore.StoredDump dump = described.dump();
            DumpFacts.Facts facts = described.facts();
            return new Entry(dump.key(), dump.sizeBytes(), dump.lastModified().toString(),
                    facts.exportedAt() != null ? facts.exportedAt() : dump.takenAt().toString(), facts.rows(),
                    facts.tables(), facts.durationMs(), facts.compression(), facts.encrypted(),
                    described.verification());
        }
    }

    public record Link(@JsonProperty("url") String url, @JsonProperty("expires_at") String expiresAt) {
    }
}
