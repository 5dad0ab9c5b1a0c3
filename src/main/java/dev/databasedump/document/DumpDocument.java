package dev.databasedump.document;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.settings.Compression;

import java.io.BufferedWriter;
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
 * Builds the dump document on disk, never in memory: rows are spooled to a temporary file as they are read; when all
 * tables are done, {@link #seal} writes the final file with the metadata first (it needs the row counts) followed by
 * the spooled data, hashing the stored bytes as they are written. {@link #close} deletes whatever is left.
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

    private final ObjectMapper json;
    private final Path dataSpool;
    private final Path tmpDir;
    private final Writer data;
    private Path sealed;
    private boolean firstTable = true;
    private boolean firstRow;

    public DumpDocument(Path tmpDir, ObjectMapper json) throws IOException {
        this.json = json;
        this.tmpDir = tmpDir;
        this.dataSpool = Files.createTempFile(tmpDir, "database-dump-", ".data.tmp");
        this.data = new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(dataSpool), StandardCharsets.UTF_8), BUFFER);
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

    /** Writes the final document with {@code metadata} first and returns it; the data spool is deleted. */
    public SealedDocument seal(Object metadata, Compression compression) throws IOException {
        data.write(firstTable ? "}}\n" : "\n}}\n");
        data.close();
        sealed = Files.createTempFile(tmpDir, "database-dump-", compression.fileExtension() + ".tmp");
        MessageDigest sha256 = sha256();
        CountingOutputStream stored;
        try (OutputStream file = Files.newOutputStream(sealed)) {
            stored = new CountingOutputStream(new DigestOutputStream(file, sha256));
            try (OutputStream out = compression == Compression.GZIP ? new GZIPOutputStream(stored, BUFFER)
                    : new NonClosing(stored)) {
                out.write("{\"metadata\":".getBytes(StandardCharsets.UTF_8));
                out.write(json.writeValueAsBytes(metadata));
                out.write(",\n\"data\":{".getBytes(StandardCharsets.UTF_8));
                try (InputStream spooled = Files.newInputStream(dataSpool)) {
                    spooled.transferTo(out);
                }
            }
        }
        deleteQuietly(dataSpool);
        return new SealedDocument(sealed, stored.count(), HexFormat.of().formatHex(sha256.digest()));
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

    /** Lets the uncompressed path share the try-with-resources without closing the file twice. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
