package dev.databasedump.document;

import dev.databasedump.settings.Compression;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * How a dump is stored, which its key's extension says, so every reader (verify, restore, retention, listing) can tell
 * from the key alone: {@code .json}, or {@code .json.gz} with gzip.
 *
 * @param compression how the document is compressed
 */
public record StoredForm(Compression compression) {

    /** Every extension a dump's key can end with, as a regular expression. */
    public static final String EXTENSIONS = "\\.json(?:\\.gz)?";

    private static final int BUFFER = 1 << 16;

    /** {@code .json} or {@code .json.gz}. */
    public String extension() {
        return compression.fileExtension();
    }

    public String contentType() {
        return compression.contentType();
    }

    /** The form a key names, if it is a dump's key at all. */
    public static Optional<StoredForm> ofKey(String key) {
        if (key.endsWith(".json.gz")) {
            return Optional.of(new StoredForm(Compression.GZIP));
        }
        if (key.endsWith(".json")) {
            return Optional.of(new StoredForm(Compression.NONE));
        }
        return Optional.empty();
    }

    /** The document, from the stored bytes. */
    public InputStream decode(InputStream stored) throws IOException {
        InputStream buffered = new BufferedInputStream(stored, BUFFER);
        return compression == Compression.GZIP ? new GZIPInputStream(buffered, BUFFER) : buffered;
    }
}
