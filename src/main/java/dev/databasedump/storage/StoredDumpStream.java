package dev.databasedump.storage;

import dev.databasedump.document.Sha256;
import dev.databasedump.document.SourceFailure;
import dev.databasedump.document.StoredForm;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A stored dump read back as a stream: its bytes, hashed as they pass (the SHA-256 is of the stored bytes, as its
 * checksum file's is), and the SHA-256 that checksum file expects. A failure of the store's connection while reading
 * is a {@link SourceFailure}, never taken for a damaged dump.
 */
public final class StoredDumpStream implements AutoCloseable {

    private final String key;
    private final StoredForm form;
    private final long size;
    private final String expectedSha256;
    private final ResponseInputStream<GetObjectResponse> response;
    private final MessageDigest digest = Sha256.newDigest();
    private final InputStream stored;
    private long read;

    StoredDumpStream(String key, StoredForm form, String expectedSha256, ResponseInputStream<GetObjectResponse> response) {
        this.key = key;
        this.form = form;
        this.expectedSha256 = expectedSha256;
        this.response = response;
        this.size = response.response().contentLength() == null ? -1 : response.response().contentLength();
        this.stored = new Hashing(response);
    }

    public String key() {
        return key;
    }

    public StoredForm form() {
        return form;
    }

    /** The object's size as the store reports it. */
    public long size() {
        return size;
    }

    /** What {@code <key>.sha256} says the object's SHA-256 is; null when there is no checksum file. */
    public String expectedSha256() {
        return expectedSha256;
    }

    /** The stored bytes, each read also hashed. */
    public InputStream bytes() {
        return stored;
    }

    /** Reads whatever is left, so {@link #sha256} covers the whole object even when its reader stopped early. */
    public void drain() throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (stored.read(buffer) >= 0) {
            // hashed on the way
        }
    }

    /** Lowercase hex SHA-256 of the bytes read so far: of the whole object once it is read to the end. */
    public String sha256() {
        return Sha256.hexSoFar(digest);
    }

    public long bytesRead() {
        return read;
    }

    /** Ends the download; one not read to its end is aborted rather than drained. */
    @Override
    public void close() {
        if (size < 0 || read < size) {
            response.abort();
        }
        try {
            response.close();
        } catch (IOException | RuntimeException e) {
            // the connection is discarded either way
        }
    }

    private final class Hashing extends FilterInputStream {

        Hashing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = in.read(buffer, offset, length);
            } catch (IOException e) {
                throw new SourceFailure(e);
            } catch (RuntimeException e) {
                throw new SourceFailure(new IOException(e.getMessage(), e));
            }
            if (n > 0) {
                digest.update(buffer, offset, n);
                read += n;
            }
            return n;
        }
    }
}
