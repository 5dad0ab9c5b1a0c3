package dev.databasedump.document;

import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.settings.Compression;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dump document on disk, never in memory, from pieces read in any order by any number of threads: pieces
 * are put in document order as they finish, with the text between them, and handed to the document's output. The
 * metadata comes first but needs the row counts, known only at the end: a document stored as it is keeps room for
 * it at the start of its file and appends the pieces behind ({@link RoomFirstOutput}); an encrypted one writes
 * everything in order at the end ({@link EncryptedOutput}). With gzip the head is a gzip member of its own, stored
 * uncompressed so its size is known, and every piece and every bit of text between pieces is a member of its own: one
 * valid gzip stream of the same document. Its files and its pieces' are a {@link TempFiles} set; {@link #close}
 * deletes whatever is left.
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

    private static final String HEAD = "{\"metadata\":";
    private static final String AFTER_METADATA = ",\n\"data\":{";

    private final ObjectMapper json;
    private final Compression compression;
    private final TempFiles files;
    private final int reserved;
    private final Path file;
    private final DocumentOutput output;
    private final Map<Integer, PieceSpool> waiting = new HashMap<>();
    private final StringBuilder text = new StringBuilder();
    private int nextPosition;
    private boolean firstTable = true;
    private long tableRows;
    private boolean closed;
    private final JsonNulls jsonNulls = new JsonNulls();

    /**
     * @param recipients    the age recipients the document is encrypted to; empty to store it as it is
     * @param metadataBound metadata at least as long as the real one will be (every count at its largest), to size
     *                      the room reserved for it
     */
    public DumpDocument(Path tmpDir, Compression compression, List<RecipientStanzaWriter> recipients,
            ObjectMapper json, Object metadataBound) throws IOException {
        this.json = json;
        this.compression = compression;
        this.reserved = json.writeValueAsBytes(metadataBound).length;
        this.files = TempFiles.claim(tmpDir);
        try {
            this.file = files.create("document", new StoredForm(compression, !recipients.isEmpty()).extension()
                    + ".tmp");
            this.output = recipients.isEmpty() ? new RoomFirstOutput(file, () -> files.create("head", ".tmp"),
                    head(" ".repeat(reserved).getBytes(StandardCharsets.UTF_8))) : new EncryptedOutput(file, recipients);
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** The bytes at the start of the file that {@link #finish} writes; everything after them is final when appended. */
    public long headerLength() {
        return output.roomLength();
    }

    /** The file the document is written to; sealed, it is the dump. */
    public Path file() {
        return file;
    }

    /** How far the file is final; an upload may send every byte behind {@link #headerLength} up to here. */
    public synchronized long length() throws IOException {
        return output.length();
    }

    /** A spool for one piece; give it back to {@link #append} when all its rows are in, or close it on failure. */
    public PieceSpool spool(int position, String tableKey, boolean firstOfTable, boolean lastOfTable)
            throws IOException {
        return new PieceSpool(files.create("piece", ".tmp"), compression, position, tableKey, firstOfTable,
                lastOfTable);
    }

    /**
     * Takes a finished piece; puts it, and any that waited for it, in document order. Returns the tables this
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
            inOrder(next, done);
            nextPosition++;
        }
        return done;
    }

    private void inOrder(PieceSpool piece, List<TableWritten> done) throws IOException {
        if (piece.firstOfTable) {
            text.append(firstTable ? "\n" : ",\n").append(json.writeValueAsString(piece.tableKey)).append(":[");
            firstTable = false;
            tableRows = 0;
        }
        long rows = piece.rows();
        jsonNulls.addAll(piece.tableKey, piece.jsonNulls(), tableRows);
        if (rows > 0) {
            if (tableRows > 0) {
                text.append(',');
            }
            flushText();
            output.piece(piece);
            tableRows += rows;
        } else {
            piece.close();
        }
        if (piece.lastOfTable) {
            text.append(tableRows > 0 ? "\n]" : "]");
            done.add(new TableWritten(piece.tableKey, tableRows));
        }
    }

    /**
     * Finishes the document with {@code metadata} first; {@code grown} hears how far the file is final as it grows
     * (an encrypted document is written only now). Returns its size; from here on no byte of it changes.
     */
    public synchronized long finish(Object metadata, LongConsumer grown) throws IOException {
        if (!waiting.isEmpty()) {
            throw new IllegalStateException("pieces " + waiting.keySet() + " wait for piece " + nextPosition);
        }
        text.append(firstTable ? "}}\n" : "\n}}\n");
        flushText();
        byte[] real = json.writeValueAsBytes(metadata);
        byte[] metadataText = real;
        // Where the metadata outgrows its room (the JSON nulls can make it), the output keeps the head apart.
        if (output.roomLength() > 0 && real.length <= reserved) {
            // Padded with spaces to fill the room kept for it exactly; JSON ignores them.
            metadataText = " ".repeat(reserved).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(real, 0, metadataText, 0, real.length);
        }
        return output.finish(head(metadataText), grown);
    }

    /**
     * Once finished: the file of a head that outgrew the room kept for it, which then stands for the document file's
     * first {@link #headerLength} bytes; null when the head is in the document file (nearly always).
     */
    public Path outgrownHead() {
        return output.outgrownHead();
    }

    /** Where the JSON nulls of the pieces appended so far stand, numbered in their tables. */
    public synchronized JsonNulls jsonNulls() {
        return jsonNulls;
    }

    /** The finished document, with its size and the SHA-256 of its bytes. */
    public SealedDocument hash() throws IOException {
        return output.seal();
    }

    // The document's head with the metadata; with gzip a stored member, whose length does not depend on content.
    private byte[] head(byte[] metadata) {
        ByteArrayOutputStream head = new ByteArrayOutputStream(metadata.length + 32);
        head.writeBytes(HEAD.getBytes(StandardCharsets.UTF_8));
        head.writeBytes(metadata);
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
        output.text(bytes);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        waiting.values().forEach(PieceSpool::close);
        waiting.clear();
        output.close();
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
