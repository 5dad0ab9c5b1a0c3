package dev.databasedump.document;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.settings.Compression;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dump document on disk, never in memory, from pieces read in any order by any number of threads. The
 * metadata comes first but needs the row counts, known only at the end, so the file starts with room reserved for the
 * longest metadata these tables can have; pieces are appended behind it in document order as they finish;
 * {@link #finish} writes the metadata into the room (the rest of it stays spaces, which JSON ignores) and {@link #hash}
 * reads the file once for its SHA-256.
 * Bytes behind the room never change once appended, so an upload can send them while later pieces are still read.
 * With gzip the room is a gzip member of its own, stored uncompressed so its size is known, and every piece and every
 * bit of text between pieces is a member of its own: one valid gzip stream of the same document.
 * Its files and its pieces' are a {@link TempFiles} set; {@link #close} deletes whatever is left.
 *
 * <pre>{"metadata":{...}   ,
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
    private final TempFiles files;
    private final int reserved;
    private final Path file;
    private final FileChannel out;
    private final Map<Integer, PieceSpool> waiting = new HashMap<>();
    private final StringBuilder text = new StringBuilder();
    private int nextPosition;
    private boolean firstTable = true;
    private long tableRows;
    private boolean closed;

    /**
     * @param metadataBound metadata at least as long as the real one will be (every count at its largest), to size
     *                      the room reserved for it
     */
    public DumpDocument(Path tmpDir, Compression compression, ObjectMapper json, Object metadataBound)
            throws IOException {
        this.json = json;
        this.compression = compression;
        this.reserved = json.writeValueAsBytes(metadataBound).length;
        this.files = TempFiles.claim(tmpDir);
        FileChannel channel = null;
        try {
            this.file = files.create("document", compression.fileExtension() + ".tmp");
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
            this.out = channel;
            write(header(" ".repeat(reserved).getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            files.close();
            throw e;
        }
    }

    /** The bytes at the start of the file that {@link #finish} rewrites; everything after them is final when appended. */
    public long headerLength() {
        return header(new byte[reserved]).length;
    }

    /** The file the document is written to; sealed, it is the dump. */
    public Path file() {
        return file;
    }

    /** How far the file is written; every byte behind {@link #headerLength} is final. */
    public synchronized long length() throws IOException {
        return out.position();
    }

    /** A spool for one piece; give it back to {@link #append} when all its rows are in, or close it on failure. */
    public PieceSpool spool(int position, String tableKey, boolean firstOfTable, boolean lastOfTable)
            throws IOException {
        return new PieceSpool(files.create("piece", ".tmp"), compression, position, tableKey, firstOfTable,
                lastOfTable);
    }

    /**
     * Takes a finished piece; appends it, and any that waited for it, in document order. Returns the tables this
     * completed, in order.
     */
    public synchronized List<TableWritten> append(PieceSpool piece) throws IOException {
        if (closed) {
            // A piece that was still being read when the dump failed and cleaned up: its file goes too.
            piece.close();
            throw new IllegalStateException("the document was closed: the dump has failed");
        }
        try {
            piece.finish();
        } catch (IOException | RuntimeException e) {
            piece.close();
            throw e;
        }
        waiting.put(piece.position, piece);
        List<TableWritten> done = new ArrayList<>();
        PieceSpool next;
        while ((next = waiting.remove(nextPosition)) != null) {
            try (PieceSpool appending = next) {
                appendInOrder(appending, done);
            }
            nextPosition++;
        }
        return done;
    }

    private void appendInOrder(PieceSpool piece, List<TableWritten> done) throws IOException {
        if (piece.firstOfTable) {
            text.append(firstTable ? "\n" : ",\n").append(json.writeValueAsString(piece.tableKey)).append(":[");
            firstTable = false;
            tableRows = 0;
        }
        if (piece.rows() > 0) {
            if (tableRows > 0) {
                text.append(',');
            }
            flushText();
            try (FileChannel spooled = FileChannel.open(piece.file, StandardOpenOption.READ)) {
                long size = spooled.size();
                long copied = 0;
                while (copied < size) {
                    copied += spooled.transferTo(copied, size - copied, out);
                }
            }
            tableRows += piece.rows();
        }
        if (piece.lastOfTable) {
            text.append(tableRows > 0 ? "\n]" : "]");
            done.add(new TableWritten(piece.tableKey, tableRows));
        }
    }

    /** Finishes the document with {@code metadata} first; returns its size. From here on no byte of it changes. */
    public synchronized long finish(Object metadata) throws IOException {
        if (!waiting.isEmpty()) {
            throw new IllegalStateException("pieces " + waiting.keySet() + " wait for piece " + nextPosition);
        }
        text.append(firstTable ? "}}\n" : "\n}}\n");
        flushText();
        byte[] real = json.writeValueAsBytes(metadata);
        if (real.length > reserved) {
            throw new IllegalStateException("metadata of " + real.length + " bytes outgrew its " + reserved);
        }
        byte[] padded = " ".repeat(reserved).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(real, 0, padded, 0, real.length);
        out.write(ByteBuffer.wrap(header(padded)), 0);
        long size = out.size();
        out.close();
        return size;
    }

    /** The finished document, with its size and the SHA-256 of its bytes (one read of the file). */
    public SealedDocument hash() throws IOException {
        MessageDigest sha256 = Sha256.newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER * 16);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buffer) > 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
            return new SealedDocument(file, in.size(), HexFormat.of().formatHex(sha256.digest()));
        }
    }

    // The document's head with the metadata's room; with gzip a stored member, whose length does not depend on content.
    private byte[] header(byte[] metadataRoom) {
        ByteArrayOutputStream head = new ByteArrayOutputStream(metadataRoom.length + 32);
        head.writeBytes(HEAD.getBytes(StandardCharsets.UTF_8));
        head.writeBytes(metadataRoom);
        head.writeBytes(AFTER_METADATA.getBytes(StandardCharsets.UTF_8));
        return compression == Compression.GZIP ? GzipStoredMember.of(head.toByteArray()) : head.toByteArray();
    }

    private void flushText() throws IOException {
        if (text.isEmpty()) {
            return;
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        if (compression == Compression.GZIP) {
            ByteArrayOutputStream member = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(member)) {
                gzip.write(bytes);
            }
            bytes = member.toByteArray();
        }
        write(bytes);
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        waiting.values().forEach(PieceSpool::close);
        waiting.clear();
        try {
            out.close();
        } catch (IOException e) {
            LOG.debug("Closing the document failed: {}", e.getMessage());
        }
        files.close();
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete temporary file {}: {}", file, e.getMessage());
        }
    }

    /** A table whose rows are all in the document. */
    public record TableWritten(String key, long rows) {
    }
}
