package dev.databasedump.document;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;

/**
 * A gzip member (RFC 1952) holding its content uncompressed, in deflate "stored" blocks, so its length depends only on
 * the content's length. That lets a gzip dump reserve room for its metadata at the start and fill it in at the end,
 * exactly as an uncompressed dump does; gzip readers read consecutive members as one stream.
 */
final class GzipStoredMember {

    private static final int MAX_BLOCK = 65_535;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private GzipStoredMember() {
    }

    static byte[] of(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length(content.length));
        out.writeBytes(HEADER);
        int offset = 0;
        do {
            int block = Math.min(MAX_BLOCK, content.length - offset);
            boolean last = offset + block == content.length;
            out.write(last ? 1 : 0);
            writeShort(out, block);
            writeShort(out, ~block);
            out.write(content, offset, block);
            offset += block;
        } while (offset < content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        writeInt(out, (int) crc.getValue());
        writeInt(out, content.length);
        return out.toByteArray();
    }

    /** The member's size for content of {@code contentLength} bytes. */
    static int length(int contentLength) {
        int blocks = Math.max(1, (contentLength + MAX_BLOCK - 1) / MAX_BLOCK);
        return HEADER.length + 5 * blocks + contentLength + 8;
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value & 0xff);
        out.write((value >>> 8) & 0xff);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        writeShort(out, value);
        writeShort(out, value >>> 16);
    }
}
