package dev.databasedump.storage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Open multipart uploads that dumps which died left under the prefix (full dumps' and tenant dumps' alike) (a {@code kill -9} mid-upload, a lost node):
 * stores without lifecycle rules (Supabase Storage refuses them) would keep their parts for ever. Only uploads at keys
 * of our own naming are touched, and only once their dump started longer than {@code dump.cleanup.stale-after} ago,
 * so a dump still running elsewhere is left alone. The age is read from the key, which names when its dump started:
 * some stores (S3Proxy) report every upload as started just now.
 */
final class StaleUploads {

    private StaleUploads() {
    }

    /** Aborts the stale uploads; returns their keys. */
    static List<String> abort(S3Client s3, String bucket, String prefix, Duration staleAfter, Clock clock) {
        Instant startedBefore = clock.instant().minus(staleAfter);
        List<String> aborted = new ArrayList<>();
        for (MultipartUpload upload : s3.listMultipartUploadsPaginator(ListMultipartUploadsRequest.builder()
                .bucket(bucket).prefix(prefix).build()).uploads()) {
            java.util.Optional<Matcher> dump = DumpSpace.of(prefix, upload.key())
                    .map(space -> space.naming().matcher(upload.key())).filter(Matcher::matches);
            if (dump.isPresent() && dump.get().group(2) == null
                    && DumpKeys.timestampOf(dump.get().group(1)).isBefore(startedBefore)) {
                s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(upload.key())
                        .uploadId(upload.uploadId()).build());
                aborted.add(upload.key());
            }
        }
        return aborted;
    }
}
