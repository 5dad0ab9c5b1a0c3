package dev.databasedump.settings;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where dumps are stored: AWS S3 or any S3-compatible store.
 *
 * @param bucket    existing private bucket ({@code dump.s3.bucket})
 * @param prefix    key prefix of every dump, ending in '/' unless empty ({@code dump.s3.prefix})
 * @param region    signing region ({@code dump.s3.region})
 * @param endpoint  endpoint override for S3-compatible stores, empty for AWS ({@code dump.s3.endpoint})
 * @param pathStyle path-style addressing, which most S3-compatible stores need ({@code dump.s3.path-style})
 * @param accessKey static access key, empty for the AWS default credential chain ({@code dump.s3.access-key})
 * @param secretKey its secret ({@code dump.s3.secret-key}); never logged or echoed
 * @param partSize  multipart part size in bytes; larger dumps upload in parts ({@code dump.s3.part-size})
 * @param requestTimeout the longest one attempt of a request to the store may take; a request with its retries may
 *                  take three times that ({@code dump.s3.request-timeout})
 */
public record StorageSettings(String bucket, String prefix, String region, Optional<URI> endpoint, boolean pathStyle,
        String accessKey, String secretKey, long partSize, Duration requestTimeout) {

    /** Long enough for a 16 MiB part on a link of 512 kbit/s (about 4.5 minutes). */
    public static final String DEFAULT_REQUEST_TIMEOUT = "5m";

    /** S3's own lower bound for every part but the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    public StorageSettings {
        if (bucket == null || bucket.isBlank()) {
            throw new InvalidSettingException("dump.s3.bucket", "a bucket name is required");
        }
        prefix = prefix == null ? "" : prefix;
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        accessKey = accessKey == null ? "" : accessKey;
        secretKey = secretKey == null ? "" : secretKey;
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            throw new InvalidSettingException("dump.s3.access-key",
                    "set both dump.s3.access-key and dump.s3.secret-key, or neither for the default credential chain");
        }
        if (partSize < MIN_PART_SIZE) {
            throw new InvalidSettingException("dump.s3.part-size", "must be at least " + MIN_PART_SIZE + " bytes");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new InvalidSettingException("dump.s3.request-timeout", "must be positive, got " + requestTimeout);
        }
    }

    public boolean hasStaticCredentials() {
        return !accessKey.isEmpty();
    }

    @Override
    public String toString() {
        return "StorageSettings[bucket=" + bucket + ", prefix=" + prefix + ", region=" + region + ", endpoint="
                + endpoint.map(URI::toString).orElse("(AWS)") + ", pathStyle=" + pathStyle + ", accessKey="
                + (accessKey.isEmpty() ? "(default chain)" : "***") + ", partSize=" + partSize + ", requestTimeout=" + requestTimeout + "]";
    }
}
