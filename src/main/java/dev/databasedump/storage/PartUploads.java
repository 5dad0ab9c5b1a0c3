package dev.databasedump.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of one multipart upload of a file to a key: opened by whichever part goes up first, each part sent from
 * its byte range of the file, completed with {@code If-None-Match: *}, or aborted. {@link GrowingFileUpload} decides
 * when each part goes.
 */
final class PartUploads {

    private static final Logger LOG = LoggerFactory.getLogger(PartUploads.class);
    /** For one request: its client's retries, except after the store cut its body off (see {@link NotAfterACut}). */
    static final SdkPlugin NOT_RETRIED_AFTER_A_CUT = config -> {
        S3ServiceClientConfiguration.Builder s3 = (S3ServiceClientConfiguration.Builder) config;
        RetryStrategy retries = s3.overrideConfiguration().retryStrategy()
                .orElseGet(AwsRetryStrategy::standardRetryStrategy);
        s3.overrideConfiguration(s3.overrideConfiguration().toBuilder().retryStrategy(new NotAfterACut(retries))
                .build());
    };

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final ObjectHeaders headers;
    private final Path file;
    private final StoreErrors errors;
    private final Map<Integer, CompletedPart> parts = new ConcurrentSkipListMap<>();
    private String uploadId;
    private boolean aborted;

    PartUploads(S3Client s3, String bucket, String key, ObjectHeaders headers, Path file, StoreErrors errors) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.headers = headers;
        this.file = file;
        this.errors = errors;
    }

    /** Parts stored so far. */
    int stored() {
        return parts.size();
    }

    /**
     * Sends {@code body} as part {@code part}. A part the store cuts off mid-body is not sent again (a store past its
     * size limit would cut it again); one it refuses (4xx) is not either, as the client never retries those.
     */
    void send(int part, UploadBody body) {
        String id = uploadId();
        try {
            var response = s3.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(id)
                            .partNumber(part).contentLength(body.length())
                            .overrideConfiguration(o -> o.plugins(List.of(NOT_RETRIED_AFTER_A_CUT))).build(),
                    body.requestBody(headers.contentType()));
            parts.put(part, CompletedPart.builder().partNumber(part).eTag(response.eTag()).build());
        } catch (RuntimeException e) {
            throw errors.explain(e, StoreErrors.Sent.part(part, body.length(), writtenSoFar()));
        }
    }

    /**
     * Asks the store, with the upload's headers and no body (opening a multipart upload, aborted at once), whether it
     * refuses them; throws its refusal, explained, if it does.
     */
    void refusalOfTheHeaders() {
        String id;
        try {
            id = s3.createMultipartUpload(headers.applyTo(CreateMultipartUploadRequest.builder().bucket(bucket)
                    .key(key)).build()).uploadId();
        } catch (RuntimeException refused) {
            throw errors.explain(refused);
        }
        abortUpload(id);
    }

    /** Puts the parts together at the key, never replacing an object already there (where the store honours it). */
    void complete() {
        String id;
        synchronized (this) {
            if (aborted) {
                throw new IllegalStateException("the upload of s3://" + bucket + "/" + key + " was aborted");
            }
            id = uploadId;
        }
        try {
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key)
                    .uploadId(id).ifNoneMatch("*")
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts.values()).build()).build());
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
        LOG.debug("Completed s3://{}/{} in {} parts", bucket, key, parts.size());
    }

    /**
     * Aborts the upload, if one was opened, then aborts again any upload still open at the key (S3 documents that an
     * abort racing a part upload may need repeating); no part opens a new one after this. Never throws.
     */
    void abort() {
        String id;
        synchronized (this) {
            aborted = true;
            id = uploadId;
        }
        if (id == null) {
            return;
        }
        abortUpload(id);
        try {
            for (MultipartUpload open : s3.listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(bucket)
                    .prefix(key).build()).uploads()) {
                if (open.key().equals(key)) {
                    abortUpload(open.uploadId());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not check s3://{}/{} for open multipart uploads: {}", bucket, key, e.getMessage());
        }
    }

    private void abortUpload(String id) {
        try {
            s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(id).build());
            LOG.info("Aborted the multipart upload of s3://{}/{}", bucket, key);
        } catch (RuntimeException e) {
            LOG.warn("Could not abort the multipart upload of s3://{}/{}: {}", bucket, key, e.getMessage());
        }
    }

    // Opened by whichever part goes up first.
    private synchronized String uploadId() {
        if (aborted) {
            // A part still running when the dump failed must not open an upload that nobody would abort.
            throw new IllegalStateException("the upload of s3://" + bucket + "/" + key + " was aborted");
        }
        if (uploadId == null) {
            try {
                uploadId = s3.createMultipartUpload(headers.applyTo(CreateMultipartUploadRequest.builder()
                        .bucket(bucket).key(key)).build()).uploadId();
            } catch (RuntimeException e) {
                throw errors.explain(e);
            }
        }
        return uploadId;
    }

    private long writtenSoFar() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
