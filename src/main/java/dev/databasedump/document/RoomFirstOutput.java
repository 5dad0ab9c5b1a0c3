package dev.databasedump.document;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/**
 * A document stored as it is (plain or gzip): the file starts with room kept for the head, and every piece is
 * appended behind it as soon as it is in order, so everything after the room is final while later pieces are still
 * read, and can be uploaded. The head is written into its room at the end; the file is then read once for its
 * SHA-256.
 */
final class RoomFirstOutput implements DocumentOutput {

    private static final int HASH_BUFFER = 1 << 20;

    private final Path file;
    private final FileChannel out;
    private final long room;

    RoomFirstOutput(Path file, byte[] emptyHead) throws IOException {
        this.file = file;
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
        if (head.length != room) {
            throw new IllegalStateException("a head of " + head.length + " bytes in room for " + room);
        }
        out.write(ByteBuffer.wrap(head), 0);
        long size = out.size();
        out.close();
        return size;
    }

    @Override
    public SealedDocument seal() throws IOException {
        MessageDigest sha256 = Sha256.newDigest();
        ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            while (in.read(buffer) > 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
            return new SealedDocument(file, in.size(), HexFormat.of().formatHex(sha256.digest()));
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
