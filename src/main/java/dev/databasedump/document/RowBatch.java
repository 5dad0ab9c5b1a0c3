package dev.databasedump.document;

import java.util.Arrays;

/**
 * Consecutive rows of one table, each exactly the bytes of its JSON object as the dump holds it (UTF-8), back to back
 * in one buffer.
 */
public final class RowBatch implements RecordingInputStream.ByteSink {

    private final String table;
    private final boolean firstOfTable;
    private final long firstRow;
    private byte[] bytes = new byte[1 << 16];
    private int length;
    private int[] ends = new int[256];
    private int rows;
    private boolean lastOfTable;
    private java.util.List<String> columns = java.util.List.of();

    RowBatch(String table, boolean firstOfTable, long firstRow) {
        this.table = table;
        this.firstOfTable = firstOfTable;
        this.firstRow = firstRow;
    }

    /** The table's key in the dump ({@code table}, or {@code schema.table} in a dump of several schemas). */
    public String table() {
        return table;
    }

    public boolean firstOfTable() {
        return firstOfTable;
    }

    /** The number, from 1, of the batch's first row in its table's array. */
    public long firstRow() {
        return firstRow;
    }

    /** Whether the table's last row is in this batch (it may hold no rows: an empty table). */
    public boolean lastOfTable() {
        return lastOfTable;
    }

    /** The table's columns, as its summary or its first row names them; empty for a table without rows read yet. */
    public java.util.List<String> columns() {
        return columns;
    }

    void columns(java.util.List<String> names) {
        this.columns = names;
    }

    public int rows() {
        return rows;
    }

    /** Bytes of all rows together. */
    public int size() {
        return length;
    }

    /** The buffer the rows are in; row {@code i} is bytes {@code [start(i), end(i))}. */
    public byte[] buffer() {
        return bytes;
    }

    public int start(int row) {
        return row == 0 ? 0 : ends[row - 1];
    }

    public int end(int row) {
        return ends[row];
    }

    void endTable() {
        lastOfTable = true;
    }

    @Override
    public void write(byte[] source, int offset, int count) {
        if (length + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + count));
        }
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    /** Ends the row written since the previous one. */
    void endRow() {
        if (rows == ends.length) {
            ends = Arrays.copyOf(ends, rows * 2);
        }
        ends[rows++] = length;
    }
}
