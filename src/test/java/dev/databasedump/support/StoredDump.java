package dev.databasedump.support;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A dump as a user downloads it from the bucket, parsed with every digit of every number kept. */
public final class StoredDump {

    public static final ObjectMapper EXACT_JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    private final byte[] stored;
    private final String contentType;

    private StoredDump(byte[] stored, String contentType) {
        this.stored = stored;
        this.contentType = contentType;
    }

    public static StoredDump download(S3Client s3, String bucket, String key) {
        ResponseBytes<GetObjectResponse> bytes =
                s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build());
        return new StoredDump(bytes.asByteArray(), bytes.response().contentType());
    }

    public static String text(S3Client s3, String bucket, String key) {
        return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build()).asUtf8String();
    }

    /** Every object key in the bucket, sorted. */
    public static List<String> keys(S3Client s3, String bucket) {
        List<String> keys = new ArrayList<>();
        for (S3Object object : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).build())
                .contents()) {
            keys.add(object.key());
        }
        keys.sort(null);
        return keys;
    }

    /**
     * Replaces the stored object as a damaged store or a person might, and, with {@code withMatchingChecksum}, its
     * checksum file to match, so that only what the document says can give the change away.
     */
    public static void replace(S3Client s3, String bucket, String key, byte[] bytes, boolean withMatchingChecksum) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(bytes));
        if (withMatchingChecksum) {
            String sha = sha256Of(bytes);
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key + ".sha256").build(),
                    RequestBody.fromString(sha + "  " + key.substring(key.lastIndexOf('/') + 1) + "\n"));
        }
    }

    public static int openMultipartUploads(S3Client s3, String bucket) {
        return s3.listMultipartUploads(ListMultipartUploadsRequest.builder().bucket(bucket).build()).uploads().size();
    }

    public byte[] storedBytes() {
        return stored;
    }

    public String contentType() {
        return contentType;
    }

    public String sha256() {
        return sha256Of(stored);
    }

    private static String sha256Of(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON text, gunzipped when the dump is compressed. */
    public String json() {
        try (InputStream in = isGzip() ? new GZIPInputStream(new ByteArrayInputStream(stored))
                : new ByteArrayInputStream(stored)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        try {
            return EXACT_JSON.readTree(json());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean isGzip() {
        return stored.length > 2 && (stored[0] & 0xff) == 0x1f && (stored[1] & 0xff) == 0x8b;
    }
}
