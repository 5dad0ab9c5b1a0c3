package dev.databasedump.database;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Arrays;

import org.postgresql.copy.CopyOut;

/**
 * The rows of a {@code COPY … TO STDOUT (FORMAT binary)} of a row's JSON and, for a table with json columns, where
 * they hold JSON null, read from the stream of its messages without relying on how the server cuts them: the header
 * (signature, flags, extension), then per row a field count of 1 or 2 and each field's length (-1: NULL) and bytes,
 * then a count of -1. Each row goes to the sink from a buffer reused for the next one.
 */
final class BinaryCopyRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private final CopyOut copy;
    private byte[] message = new byte[0];
    private int position;
    private byte[] row = new byte[8192];

    BinaryCopyRows(CopyOut copy) {
        this.copy = copy;
    }

    long forEach(RowSink sink) throws SQLException, IOException {
        byte[] signature = bytes(SIGNATURE.length);
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw new IOException("the server's COPY output is not in binary format");
        }
        readInt();
        int extension = readInt();
        skip(extension);
        long rows = 0;
        while (true) {
            short fields = readShort();
            if (fields == -1) {
                drain();
                return rows;
            }
            int length = readInt();
            if (fields < 1 || fields > 2 || length < 0) {
                throw new IOException("unexpected COPY row: " + fields + " fields, length " + length);
            }
            if (length > row.length) {
                row = new byte[Math.max(length, row.length * 2)];
            }
            read(row, length);
            sink.accept(row, 0, length);
            if (fields == 2) {
                int marks = readInt();
                if (marks >= 0) {
                    byte[] nulls = bytes(marks);
                    sink.jsonNulls(nulls, 0, nulls.length);
                }
            }
            rows++;
        }
    }

    // The server's CopyDone follows the trailer; reading it ends the COPY cleanly.
    private void drain() throws SQLException {
        while (copy.readFromCopy() != null) {
            // Nothing is expected after the trailer.
        }
    }

    private short readShort() throws SQLException, IOException {
        return (short) ((next() << 8) | next());
    }

    private int readInt() throws SQLException, IOException {
        return (next() << 24) | (next() << 16) | (next() << 8) | next();
    }

    private int next() throws SQLException, IOException {
        if (position == message.length) {
            nextMessage();
        }
        return message[position++] & 0xFF;
    }

    private byte[] bytes(int length) throws SQLException, IOException {
        byte[] into = new byte[length];
        read(into, length);
        return into;
    }

    private void skip(int length) throws SQLException, IOException {
        read(new byte[length], length);
    }

    private void read(byte[] into, int length) throws SQLException, IOException {
        int done = 0;
        while (done < length) {
            if (position == message.length) {
                nextMessage();
            }
            int now = Math.min(length - done, message.length - position);
            System.arraycopy(message, position, into, done, now);
            position += now;
            done += now;
        }
    }

    private void nextMessage() throws SQLException, IOException {
        byte[] received = copy.readFromCopy();
        if (received == null) {
            throw new IOException("the server's COPY output ended in the middle of a row");
        }
        message = received;
        position = 0;
    }
}
