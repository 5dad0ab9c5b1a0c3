package dev.databasedump.document;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * A document stored as it is (plain or gzip): the file starts with room kept for the head, and every piece is
 * appended behind it as soon as it is in order, so everything after the room is final while later pieces are still
 * read, and can be uploaded. The head is written into its room at the end; the file is then read once for its
 * SHA-256. A head that outgrows its room (the JSON nulls, known only once the rows are read, can make it) is written to
 * a file of its own instead: the document is then that file followed by the document file after the room, and only
 * the upload's first part, which holds the head and goes up last anyway, is sent from the two.
 */
final class RoomFirstOutput implements DocumentOutput {

    private static final int HASH_BUFFER = 1 << 20;

    private final Path file;
    private final HeadFile headFile;
    private Path head;
    private final FileChannel out;
    private final long room;
    private long headLength;

    /** Makes the file a head that outgrows its room goes to, when one does. */
    @FunctionalInterface
    interface HeadFile {
        Path create() throws IOException;
    }

    RoomFirstOutput(Path file, HeadFile headFile, byte[] emptyHead) throws IOException {
        this.file = file;
        this.headFile = headFile;
        this.out = FileChannel.open(file, StandardOpenOption.WRITE);
        this.room = emptyHead.length;
        try {
            write(emptyHead);
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
    }

    @Override
    public long roomLength() {
        return room;
    }

    @Override
    public long length() throws IOException {
        return out.position();
    }

    @Override
    public void text(byte[] bytes) throws IOException {
        write(bytes);
    }

    @Override
    public void piece(PieceSpool piece) throws IOException {
        try (piece; FileChannel spooled = FileChannel.open(piece.file, StandardOpenOption.READ)) {
            long size = spooled.size();
            long copied = 0;
            while (copied < size) {
                copied += spooled.transferTo(copied, size - copied, out);
            }
        }
    }

    @Override
    public long finish(byte[] head, LongConsumer grown) throws IOException {
        if (head.length < room) {
            throw new IllegalStateException("a head of " + head.length + " bytes in room for " + room);
        }
        long size = out.size();
        if (head.length == room) {
            out.write(ByteBuffer.wrap(head), 0);
        } else {
            this.head = headFile.create();
            Files.write(this.head, head);
            headLength = head.length;
        }
        out.close();
        return size - room + head.length;
    }

    @Override
    public Path outgrownHead() {
        return head;
    }

    @Override
    public SealedDocument seal() throws IOException {
        MessageDigest sha256 = Sha256.newDigest();
        long size = 0;
        if (head != null) {
            size += hash(head, 0, sha256);
        }
        size += hash(file, head != null ? room : 0, sha256);
        return new SealedDocument(file, size, HexFormat.of().formatHex(sha256.digest()));
    }

    // Feeds the file's bytes from `from` to the digest; returns how many.
    private static long hash(Path file, long from, MessageDigest sha256) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            in.position(from);
            while (in.read(buffer) > 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
            return in.size() - from;
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // the file is deleted with the dump's temporary files
        }
    }

    private void write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
