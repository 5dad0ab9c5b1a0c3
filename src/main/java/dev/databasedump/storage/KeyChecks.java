package dev.databasedump.storage;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** What is at a dump's key, looked at just before and just after it is stored. */
final class KeyChecks {

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final StoreErrors errors;

    KeyChecks(S3Client s3, String bucket, String key, StoreErrors errors) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.errors = errors;
    }

    /**
     * Refuses to go on when an object reached the key meanwhile. If-None-Match makes the store refuse to replace one,
     * atomically, where it honours the header; S3Proxy and Supabase Storage ignore it, so this look comes first.
     */
    void free() {
        boolean taken;
        try {
            taken = DumpKeys.exists(s3, bucket, key);
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
        if (taken) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " appeared while the dump was written; "
                    + "it was left as it is");
        }
    }

    /**
     * The object's size once the store said it was complete, or -1 when it is not there: a store may answer a
     * completion 200 before it has put the parts together (S3 does, and reports a failure in the body; S3Proxy out of
     * memory reports nothing at all).
     */
    long storedSize() {
        try {
            Long length = s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()).contentLength();
            return length == null ? -1 : length;
        } catch (NoSuchKeyException e) {
            return -1;
        } catch (RuntimeException e) {
            throw errors.explain(e);
        }
    }
}
