package dev.databasedump.document;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Passes a stream through and remembers the bytes read since {@link #keepFrom}, so a parser's byte offsets can be
 * turned back into the exact bytes of a value: a row of a dump as it was written. Memory stays at about the largest
 * row plus the parser's read-ahead.
 */
final class RecordingInputStream extends FilterInputStream {

    private byte[] window = new byte[1 << 16];
    /** Absolute offset of {@code window[0]}. */
    private long windowStart;
    private int length;
    private long keepFrom;

    RecordingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            room(1);
            window[length++] = (byte) b;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int read = in.read(buffer, offset, count);
        if (read > 0) {
            room(read);
            System.arraycopy(buffer, offset, window, length, read);
            length += read;
        }
        return read;
    }

    /** Bytes before {@code offset} are no longer needed. */
    void keepFrom(long offset) {
        keepFrom = offset;
    }

    /** Appends bytes {@code [from, to)} of the stream, which must still be kept, to {@code target}. */
    void copy(long from, long to, ByteSink target) {
        target.write(window, (int) (from - windowStart), (int) (to - from));
    }

    // Drops what is no longer kept before growing, so the window holds about one row plus the parser's read-ahead.
    private void room(int needed) {
        if (length + needed <= window.length) {
            return;
        }
        int drop = (int) Math.min(Math.max(0, keepFrom - windowStart), length);
        if (drop > 0) {
            System.arraycopy(window, drop, window, 0, length - drop);
            length -= drop;
            windowStart += drop;
        }
        if (length + needed > window.length) {
            window = Arrays.copyOf(window, Math.max(window.length * 2, length + needed));
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Where copied bytes go. */
    interface ByteSink {
        void write(byte[] bytes, int offset, int length);
    }
}
