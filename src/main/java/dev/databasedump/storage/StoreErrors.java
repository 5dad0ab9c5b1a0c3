package dev.databasedump.storage;

import dev.databasedump.settings.Compression;

import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads what went wrong in a store's answer and says it the way an operator can act on it: which setting to check,
 * which limit was hit. A HEAD answer has no body, so "Forbidden (Service: S3, Status Code: 403, Request ID: null)" is
 * all the SDK can say on its own. Answers this cannot place (5xx, timeouts) are left to the caller's generic line.
 */
public final class StoreErrors {

    static final String CHECK_KEYS = "check dump.s3.access-key / dump.s3.secret-key and the bucket's policy";
    private static final double MIB = 1024.0 * 1024.0;

    private final String bucket;
    private final String endpoint;
    private final Compression compression;
    private final Duration requestTimeout;

    /** @param requestTimeout the longest an attempt of a request may take ({@code dump.s3.request-timeout}) */
    public StoreErrors(String bucket, Optional<java.net.URI> endpoint, Compression compression,
            Duration requestTimeout) {
        this.bucket = bucket;
        this.endpoint = endpoint.map(java.net.URI::toString).orElse("AWS S3");
        this.compression = compression;
        this.requestTimeout = requestTimeout;
    }

    /**
     * What an upload request carried when the store refused it, said as what it measures.
     *
     * @param part    the part's number; 0 for the whole dump in one PUT
     * @param request the request's size
     * @param grown   the dump's size (one PUT), or what the document file had grown to while its parts went up
     */
    public record Sent(int part, long request, long grown) {

        static final Sent NOTHING = new Sent(0, -1, -1);

        /** The whole dump, {@code size} bytes, in one PUT. */
        public static Sent whole(long size) {
            return new Sent(0, size, size);
        }

        /** Part {@code part}, of {@code request} bytes, of a document that had grown to {@code grown} bytes. */
        public static Sent part(int part, long request, long grown) {
            return new Sent(part, request, grown);
        }

        boolean known() {
            return request >= 0;
        }

        String size() {
            return part == 0 ? "the dump is " + megabytes(grown) : "the dump had grown to " + megabytes(grown);
        }

        String describedRequest() {
            return part == 0 ? "the dump, one request of " + megabytes(request)
                    : "part " + part + " of the dump, a request of " + megabytes(request) + " (" + size() + ")";
        }
    }

    /** What the store's answer means, or the failure itself when nothing more useful can be said. */
    public RuntimeException explain(RuntimeException failure) {
        return explain(failure, Sent.NOTHING);
    }

    /**
     * As {@link #explain(RuntimeException)}, for an upload: {@code sent} is how much of the dump it had sent, named
     * when the store refuses it as too large.
     */
    public RuntimeException explain(RuntimeException failure, Sent sent) {
        if (failure instanceof S3Exception s3) {
            String message = describe(s3, sent);
            return message == null ? failure : new StoreException(message, failure);
        }
        if (failure instanceof SdkClientException client) {
            String message = describe(client, sent);
            return message == null ? failure : new StoreException(message, failure);
        }
        return failure;
    }

    private String describe(S3Exception failure, Sent sent) {
        String code = failure.awsErrorDetails() == null ? null : failure.awsErrorDetails().errorCode();
        int status = failure.statusCode();
        if (status == 413 || "EntityTooLarge".equals(code)) {
            return "the store refused the dump as too large (413 " + (code == null ? "EntityTooLarge" : code)
                    + (sent.known() ? "; " + sent.size() : "") + "): raise the bucket's file size limit"
                    + (compression == Compression.GZIP ? "" : " or set dump.compression=gzip");
        }
        if (status == 403) {
            return "access denied by the store (403" + (code == null ? "" : " " + code) + ") for bucket " + bucket
                    + ": " + CHECK_KEYS;
        }
        if (status == 501) {
            // Stores that do not encrypt on request (S3Proxy, MinIO without KMS) refuse the SSE headers so.
            return "the store does not implement what the upload asked of it (501" + (code == null ? "" : " " + code)
                    + "): if dump.s3.server-side-encryption is set, this store does not support it; unset it";
        }
        if ("NoSuchBucket".equals(code)) {
            return "bucket " + bucket + " does not exist (404 NoSuchBucket): create it, or check dump.s3.bucket";
        }
        if (code == null && status >= 300 && status < 500) {
            // An S3 store names the code of every error it answers with a body; this answer came from something else.
            // (Answers to HEAD have no body, but a HEAD that may miss is handled where it is sent.)
            return notAnS3ApiLine("HTTP " + status);
        }
        return null;
    }

    private String describe(SdkClientException failure, Sent sent) {
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return "the store at " + endpoint + " did not answer in time (dump.s3.request-timeout: "
                    + requestTimeout.toMillis() / 1000.0 + " s an attempt, " + TimeLimitedS3Client.ATTEMPTS
                    + " attempts): check dump.s3.endpoint and the network to it";
        }
        if (message.startsWith("unable to load credentials")) {
            // Without dump.s3.access-key the SDK's default chain is asked, and its failure lists all six providers.
            return "no credentials for the store: set dump.s3.access-key and dump.s3.secret-key, or give the process"
                    + " AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, or an instance role)";
        }
        if (message.contains("unmarshall") || message.contains("parse")) {
            return notAnS3ApiLine("an answer that is not S3's XML");
        }
        if (sent.known() && closedWhileSending(failure)) {
            // What refused it is not known: Supabase Storage answers 100 Continue, then 413 mid-body, and closes.
            return "the store closed the connection while receiving " + sent.describedRequest() + ", without an answer: a"
                    + " store does that past an upload size limit (on Supabase Storage, the bucket's file_size_limit"
                    + " or the project's upload size limit); raise the limit"
                    + (compression == Compression.GZIP ? "" : ", set dump.compression=gzip")
                    + (sent.part() > 0 ? ", or lower dump.s3.part-size (5 MiB at least)" : "")
                    + "; or check the network to " + endpoint;
        }
        if (causedBy(failure, java.net.ConnectException.class)) {
            return "the store at " + endpoint + " refused the connection: check dump.s3.endpoint (is the store"
                    + " running, on that host and port?)";
        }
        if (causedBy(failure, java.net.UnknownHostException.class)) {
            return "the host of the store at " + endpoint + " is not known: check dump.s3.endpoint";
        }
        return null;
    }

    /** The endpoint answered, but not as an S3 API: {@code answer} says how. */
    StoreException notAnS3Api(String answer) {
        return new StoreException(notAnS3ApiLine(answer), null);
    }

    private String notAnS3ApiLine(String answer) {
        return "the store at " + endpoint + " did not answer as an S3 API (" + answer + "): check dump.s3.endpoint"
                + " (for Supabase Storage: https://<project>.supabase.co/storage/v1/s3, with dump.s3.path-style=true)";
    }

    // Where the connection is cut decides what the HTTP client sees: mid-body a broken pipe or a reset; once the body
    // is in the socket's buffers, no answer at all ("The target server failed to respond").
    /** Whether the store closed the connection while an upload's body was being sent, without an answer to read. */
    static boolean cutWhileSending(RuntimeException failure) {
        return failure instanceof SdkClientException client && closedWhileSending(client);
    }

    private static boolean closedWhileSending(SdkException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketException || t instanceof IOException && String.valueOf(t.getMessage())
                    .toLowerCase(Locale.ROOT).matches(".*(broken pipe|connection reset|failed to respond).*")) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String megabytes(long bytes) {
        return Math.round(Math.ceil(bytes / MIB)) + " MB";
    }
}
