package dev.databasedump.document;

import com.exceptionfactory.jagged.RecipientStanzaReader;

import dev.databasedump.settings.Compression;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * How a dump is stored, which its key's extension says, so every reader (verify, restore, retention, listing) can tell
 * from the key alone: {@code .json}; {@code .json.gz} with gzip; either followed by {@code .age} when encrypted (the
 * gzip stream, where there is one, is what is encrypted).
 *
 * @param compression how the document is compressed
 * @param encrypted   whether it is encrypted to age recipients
 */
public record StoredForm(Compression compression, boolean encrypted) {

    /** Every extension a dump's key can end with, as a regular expression. */
    public static final String EXTENSIONS = "\\.json(?:\\.gz)?(?:\\.age)?";

    private static final int BUFFER = 1 << 16;
    private static final String AGE = ".age";

    /** {@code .json}, {@code .json.gz}, {@code .json.age} or {@code .json.gz.age}. */
    public String extension() {
        return compression.fileExtension() + (encrypted ? AGE : "");
    }

    public String contentType() {
        return encrypted ? "application/octet-stream" : compression.contentType();
    }

    /** The form a key names, if it is a dump's key at all. */
    public static Optional<StoredForm> ofKey(String key) {
        boolean encrypted = key.endsWith(AGE);
        String plain = encrypted ? key.substring(0, key.length() - AGE.length()) : key;
        if (plain.endsWith(".json.gz")) {
            return Optional.of(new StoredForm(Compression.GZIP, encrypted));
        }
        if (plain.endsWith(".json")) {
            return Optional.of(new StoredForm(Compression.NONE, encrypted));
        }
        return Optional.empty();
    }

    /**
     * The document, from the stored bytes: decrypted with {@code identities} when encrypted, then gunzipped.
     *
     * @throws Age.WrongIdentityException when the dump is not encrypted to any of the identities
     */
    public InputStream decode(InputStream stored, List<RecipientStanzaReader> identities) throws IOException {
        InputStream in = new BufferedInputStream(stored, BUFFER);
        if (encrypted) {
            in = new BufferedInputStream(Age.decrypting(in, identities), BUFFER);
        }
        return compression == Compression.GZIP ? new GZIPInputStream(in, BUFFER) : in;
    }
}
