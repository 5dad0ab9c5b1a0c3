package dev.databasedump.document;

import com.exceptionfactory.jagged.RecipientStanzaWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A document encrypted to age recipients. age encrypts a stream from its start, and the start of a dump (its
 * metadata) is known only at the end, so nothing is written while the tables are read: the pieces wait in their
 * spools, in order. At the end the document is written once, in order, through the encrypting channel: the head with
 * the exact metadata, then every piece, each spool deleted as soon as its bytes are encrypted. The encrypted bytes
 * are hashed as they are written and reported as the file grows, so the upload sends them meanwhile. Only encrypted
 * bytes ever reach the document file.
 */
final class EncryptedOutput implements DocumentOutput {

    private static final int BUFFER = 1 << 20;

    private final Path file;
    private final List<RecipientStanzaWriter> recipients;
    /** In document order: text as bytes, pieces as their spools. */
    private final List<Object> waiting = new ArrayList<>();
    private final MessageDigest sha256 = Sha256.newDigest();
    private long size = -1;

    EncryptedOutput(Path file, List<RecipientStanzaWriter> recipients) {
        this.file = file;
        this.recipients = List.copyOf(recipients);
    }

    @Override
    public long roomLength() {
        return 0;
    }

    @Override
    public long length() {
        return 0;
    }

    @Override
    public void text(byte[] bytes) {
        waiting.add(bytes);
    }

    @Override
    public void piece(PieceSpool piece) {
        waiting.add(piece);
    }

    @Override
    public long finish(byte[] head, LongConsumer grown) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            Hashing hashing = new Hashing(out, grown);
            try (WritableByteChannel encrypting = Age.encrypting(hashing, recipients)) {
                writeAll(encrypting, ByteBuffer.wrap(head));
                ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
                for (Object next : waiting) {
                    if (next instanceof byte[] text) {
                        writeAll(encrypting, ByteBuffer.wrap(text));
                    } else {
                        encrypt((PieceSpool) next, encrypting, buffer);
                    }
                }
                waiting.clear();
            }
            size = hashing.written;
            grown.accept(size);
            return size;
        }
    }

    // The plaintext spool goes as soon as its bytes are encrypted.
    private static void encrypt(PieceSpool piece, WritableByteChannel encrypting, ByteBuffer buffer)
            throws IOException {
        try (piece; FileChannel in = FileChannel.open(piece.file, StandardOpenOption.READ)) {
            while (in.read(buffer) >= 0) {
                buffer.flip();
                writeAll(encrypting, buffer);
                buffer.clear();
            }
        }
    }

    @Override
    public SealedDocument seal() {
        if (size < 0) {
            throw new IllegalStateException("the document is not finished");
        }
        return new SealedDocument(file, size, HexFormat.of().formatHex(sha256.digest()));
    }

    /** Deletes the spools of pieces never encrypted (the dump failed). */
    @Override
    public void close() {
        for (Object next : waiting) {
            if (next instanceof PieceSpool piece) {
                piece.close();
            }
        }
        waiting.clear();
    }

    private static void writeAll(WritableByteChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /** Writes the encrypted bytes to the file, hashing and counting them on the way. */
    private final class Hashing implements WritableByteChannel {
        private final FileChannel out;
        private final LongConsumer grown;
        private long written;

        Hashing(FileChannel out, LongConsumer grown) {
            this.out = out;
            this.grown = grown;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            ByteBuffer hashed = source.duplicate();
            int count = out.write(source);
            hashed.limit(hashed.position() + count);
            sha256.update(hashed);
            written += count;
            grown.accept(written);
            return count;
        }

        @Override
        public boolean isOpen() {
            return out.isOpen();
        }

        @Override
        public void close() {
            // The file channel is closed by finish, after the last chunk.
        }
    }
}
