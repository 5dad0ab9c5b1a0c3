package dev.databasedump.document;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.settings.Compression;

import java.io.BufferedWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dump document on disk, never in memory, as rows are read. The metadata comes first but needs the row
 * counts, known only at the end. Uncompressed, the rows go straight into the final file behind room reserved for the
 * longest metadata these tables can have; {@link #seal} writes the metadata into it (the rest of the room stays
 * spaces, which JSON ignores) and hashes the file in one read. With gzip, the rows are spooled and {@link #seal}
 * compresses metadata and spool into the final file, hashing as it writes. {@link #close} deletes whatever is left.
 *
 * <pre>{"metadata":{...},
 * "data":{
 * "table":[
 * {row},
 * {row}
 * ]}}</pre>
 */
public final class DumpDocument implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DumpDocument.class);
    private static final int BUFFER = 1 << 16;

    private static final String HEAD = "{\"metadata\":";
    private static final String AFTER_METADATA = ",\n\"data\":{";

    private final ObjectMapper json;
    private final Compression compression;
    private final int reserved;
    private final Path dataSpool;
    private final Path tmpDir;
    private final Writer data;
    private Path sealed;
    private boolean firstTable = true;
    private boolean firstRow;

    /**
     * @param metadataBound metadata at least as long as the real one will be (every count at its largest), to size
     *                      the room reserved for it
     */
    public DumpDocument(Path tmpDir, Compression compression, ObjectMapper json, Object metadataBound)
            throws IOException {
        this.json = json;
        this.tmpDir = tmpDir;
        this.compression = compression;
        this.dataSpool = Files.createTempFile(tmpDir, "database-dump-",
                compression == Compression.NONE ? compression.fileExtension() + ".tmp" : ".data.tmp");
        this.data = new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(dataSpool), StandardCharsets.UTF_8), BUFFER);
        this.reserved = compression == Compression.NONE ? json.writeValueAsBytes(metadataBound).length : 0;
        if (compression == Compression.NONE) {
            data.write(HEAD);
            data.write(" ".repeat(reserved));
            data.write(AFTER_METADATA);
        }
    }

    public void beginTable(String key) throws IOException {
        data.write(firstTable ? "\n" : ",\n");
        data.write(json.writeValueAsString(key));
        data.write(":[");
        firstTable = false;
        firstRow = true;
    }

    public void row(String rowJson) throws IOException {
        data.write(firstRow ? "\n" : ",\n");
        data.write(rowJson);
        firstRow = false;
    }

    public void endTable() throws IOException {
        data.write(firstRow ? "]" : "\n]");
    }

    /** Finishes the document with {@code metadata} first and returns it, with its size and SHA-256. */
    public SealedDocument seal(Object metadata) throws IOException {
        data.write(firstTable ? "}}\n" : "\n}}\n");
        data.close();
        if (compression == Compression.NONE) {
            return fillReservedRoom(metadata);
        }
        sealed = Files.createTempFile(tmpDir, "database-dump-", compression.fileExtension() + ".tmp");
        MessageDigest sha256 = sha256();
        CountingOutputStream stored;
        try (OutputStream file = Files.newOutputStream(sealed)) {
            stored = new CountingOutputStream(new DigestOutputStream(file, sha256));
            try (OutputStream out = new GZIPOutputStream(stored, BUFFER)) {
                out.write(HEAD.getBytes(StandardCharsets.UTF_8));
                out.write(json.writeValueAsBytes(metadata));
                out.write(AFTER_METADATA.getBytes(StandardCharsets.UTF_8));
                try (InputStream spooled = Files.newInputStream(dataSpool)) {
                    spooled.transferTo(out);
                }
            }
        }
        deleteQuietly(dataSpool);
        return new SealedDocument(sealed, stored.count(), HexFormat.of().formatHex(sha256.digest()));
    }

    private SealedDocument fillReservedRoom(Object metadata) throws IOException {
        byte[] real = json.writeValueAsBytes(metadata);
        if (real.length > reserved) {
            throw new IllegalStateException("metadata of " + real.length + " bytes outgrew its " + reserved);
        }
        MessageDigest sha256 = sha256();
        try (FileChannel file = FileChannel.open(dataSpool, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(real), HEAD.length());
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER * 16);
            file.position(0);
            while (file.read(buffer) > 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
            sealed = dataSpool;
            return new SealedDocument(dataSpool, file.size(), HexFormat.of().formatHex(sha256.digest()));
        }
    }

    @Override
    public void close() {
        try {
            data.close();
        } catch (IOException e) {
            LOG.debug("Closing the data spool failed: {}", e.getMessage());
        }
        deleteQuietly(dataSpool);
        if (sealed != null) {
            deleteQuietly(sealed);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete temporary file {}: {}", file, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Counts the bytes that reach the file, after compression. */
    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        long count() {
            return count;
        }
    }
}
