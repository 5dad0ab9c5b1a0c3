package dev.databasedump.database;

/**
 * Some of one table's rows, read on its own: the whole table, or its primary keys from {@code fromKey} (inclusive) to
 * {@code toKey} (exclusive), either end open when null. A table's pieces, in index order, hold its rows in key order.
 *
 * @param position where the piece goes in the document, counted over all pieces of the dump
 * @param table    its table
 * @param index    its place among the table's pieces, from 0
 * @param count    how many pieces the table has
 * @param fromKey  lowest key, inclusive; null for no lower bound
 * @param toKey    highest key, exclusive; null for no upper bound
 * @param filter   which of the table's rows are read (a tenant's); null for every row
 */
public record TablePiece(int position, DumpTable table, int index, int count, Long fromKey, Long toKey,
        RowFilter filter) {

    public static TablePiece whole(int position, DumpTable table) {
        return new TablePiece(position, table, 0, 1, null, null, null);
    }

    /** The rows of {@code table} that {@code filter} keeps, in one piece. */
    public static TablePiece filtered(int position, DumpTable table, RowFilter filter) {
        return new TablePiece(position, table, 0, 1, null, null, filter);
    }

    public boolean firstOfTable() {
        return index == 0;
    }

    public boolean lastOfTable() {
        return index == count - 1;
    }

    /** For logs and errors: {@code public.t}, or {@code public.t (keys 1000 to 1999)} for a key range. */
    public String displayName() {
        if (count == 1) {
            return table.displayName();
        }
        return table.displayName() + " (keys " + (fromKey == null ? "up" : "from " + fromKey)
                + (toKey == null ? " up" : " to " + (toKey - 1)) + ")";
    }
}
