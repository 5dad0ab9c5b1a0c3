package dev.databasedump.http;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.databasedump.settings.StorageSettings;
import dev.databasedump.storage.DumpKeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The dumps in the bucket, as admins see them: a listing, and short-lived download links for dumps only. */
public final class StoredDumps implements AutoCloseable {

    private final StorageSettings storage;
    private final Supplier<S3Client> s3;
    private final S3Presigner presigner;
    private final Duration linkLifetime;
    private final Clock clock;
    private final Pattern dumpKey;

    public StoredDumps(StorageSettings storage, Supplier<S3Client> s3, Duration linkLifetime, Clock clock) {
        this.storage = storage;
        this.s3 = s3;
        this.linkLifetime = linkLifetime;
        this.clock = clock;
        // Only what this application writes: a dump or its checksum file, directly under the prefix.
        this.dumpKey = DumpKeys.naming(storage.prefix());
        S3Presigner.Builder presign = S3Presigner.builder()
                .region(Region.of(storage.region()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(storage.pathStyle()).build())
                .credentialsProvider(storage.hasStaticCredentials()
                        ? StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(storage.accessKey(), storage.secretKey()))
                        : DefaultCredentialsProvider.builder().build());
        storage.endpoint().ifPresent(presign::endpointOverride);
        this.presigner = presign.build();
    }

    /** Dumps under the prefix, newest first (checksum files and foreign objects left out). */
    public List<Entry> list() {
        List<Entry> dumps = new ArrayList<>();
        for (S3Object object : s3.get().listObjectsV2Paginator(ListObjectsV2Request.builder()
                .bucket(storage.bucket()).prefix(storage.prefix()).build()).contents()) {
            if (dumpKey.matcher(object.key()).matches() && !object.key().endsWith(".sha256")) {
                dumps.add(new Entry(object.key(), object.size(), object.lastModified().toString()));
            }
        }
        // The key carries the UTC timestamp, so key order is time order.
        dumps.sort(Comparator.comparing(Entry::key).reversed());
        return dumps;
    }

    /** A presigned GET for one dump (or its checksum file); other keys are refused. */
    public Link link(String key) {
        if (!dumpKey.matcher(key).matches()) {
            throw ApiException.badRequest("invalid_key", "key must name a dump under " + storage.prefix());
        }
        try {
            s3.get().headObject(HeadObjectRequest.builder().bucket(storage.bucket()).key(key).build());
        } catch (NoSuchKeyException e) {
            throw ApiException.notFound();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw ApiException.notFound();
            }
            throw e;
        }
        Instant expiresAt = clock.instant().plus(linkLifetime);
        String url = presigner.presignGetObject(r -> r.signatureDuration(linkLifetime)
                .getObjectRequest(GetObjectRequest.builder().bucket(storage.bucket()).key(key).build()))
                .url().toString();
        return new Link(url, expiresAt.toString());
    }

    @Override
    public void close() {
        presigner.close();
    }

    public record Entry(@JsonProperty("key") String key, @JsonProperty("size_bytes") long sizeBytes,
            @JsonProperty("last_modified") String lastModified) {
    }

    public record Link(@JsonProperty("url") String url, @JsonProperty("expires_at") String expiresAt) {
    }
}
