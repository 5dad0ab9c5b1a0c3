package dev.databasedump.storage;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a failed dump, removes what it may have left under its key: any multipart upload still open and, once the
 * dump object itself was stored, that object and its checksum file.
 */
public final class PartialUploadCleaner {

    private static final Logger LOG = LoggerFactory.getLogger(PartialUploadCleaner.class);

    private final S3Client s3;
    private final String bucket;

    public PartialUploadCleaner(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public void removeUnfinished(String dumpKey, boolean dumpStored) {
        if (dumpStored) {
            delete(DumpKeys.checksumKey(dumpKey));
            delete(dumpKey);
        }
        abortOpenUploads(dumpKey);
    }

    private void delete(String key) {
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build());
            LOG.info("Removed s3://{}/{} of the failed dump", bucket, key);
        } catch (RuntimeException e) {
            LOG.warn("Could not remove s3://{}/{} after a failed dump: {}", bucket, key, e.getMessage());
        }
    }

    private void abortOpenUploads(String dumpKey) {
        try {
            for (MultipartUpload upload : s3.listMultipartUploads(
                    ListMultipartUploadsRequest.builder().bucket(bucket).prefix(dumpKey).build()).uploads()) {
                if (upload.key().equals(dumpKey)) {
                    s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(dumpKey)
                            .uploadId(upload.uploadId()).build());
                    LOG.info("Aborted the open multipart upload of s3://{}/{}", bucket, dumpKey);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not check s3://{}/{} for open multipart uploads: {}", bucket, dumpKey, e.getMessage());
        }
    }
}
