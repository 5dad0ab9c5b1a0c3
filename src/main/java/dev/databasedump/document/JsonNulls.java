package dev.databasedump.document;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the JSON {@code null} values of a dump's json and jsonb columns stand. {@code to_json} writes an SQL NULL and
 * a JSON null alike, so the document alone cannot tell them apart; the metadata lists the JSON nulls (they are rare),
 * and a restore puts SQL NULL everywhere else. Rows are numbered from 1 in their table's array, and kept as runs of
 * consecutive rows, so a column that holds JSON null in every row costs one run. At most {@link #MOST_RUNS} runs are
 * kept in a dump (a few megabytes of metadata); past that a column's are no longer recorded, and it is named as such.
 */
public final class JsonNulls {

    /** Runs a dump records in all: beyond, the metadata would no longer be small enough to read in one go. */
    public static final int MOST_RUNS = 100_000;

    private final int mostRuns;
    /** Per table, per column: runs of rows, each {first, last}. */
    private final Map<String, Map<String, Runs>> tables = new LinkedHashMap<>();
    private final Map<String, Set<String>> unrecorded = new LinkedHashMap<>();
    private int runs;

    public JsonNulls() {
        this(MOST_RUNS);
    }

    JsonNulls(int mostRuns) {
        this.mostRuns = mostRuns;
    }

    /** Row {@code row} of {@code table} holds JSON null in {@code column}. Rows of a column come in order. */
    public void add(String table, String column, long row) {
        add(table, column, row, row);
    }

    private void add(String table, String column, long first, long last) {
        if (unrecorded.getOrDefault(table, Set.of()).contains(column)) {
            return;
        }
        Runs columnRuns = tables.computeIfAbsent(table, t -> new LinkedHashMap<>())
                .computeIfAbsent(column, c -> new Runs());
        if (columnRuns.extend(first, last)) {
            return;
        }
        if (runs == mostRuns) {
            // Never silently: the column is named, and a restore says its JSON nulls come back as SQL NULL.
            tables.get(table).remove(column);
            unrecorded.computeIfAbsent(table, t -> new LinkedHashSet<>()).add(column);
            return;
        }
        columnRuns.append(first, last);
        runs++;
    }

    /** Takes {@code piece}'s JSON nulls, numbered within the piece, as rows {@code offset + n} of {@code table}. */
    void addAll(String table, JsonNulls piece, long offset) {
        piece.tables.getOrDefault(table, Map.of()).forEach((column, pieceRuns) -> {
            for (int i = 0; i < pieceRuns.size; i++) {
                add(table, column, offset + pieceRuns.first[i], offset + pieceRuns.last[i]);
            }
        });
        piece.unrecorded.getOrDefault(table, Set.of()).forEach(column -> {
            tables.getOrDefault(table, new LinkedHashMap<>()).remove(column);
            unrecorded.computeIfAbsent(table, t -> new LinkedHashSet<>()).add(column);
        });
    }

    /** {@code metadata.json_nulls}: per table, per column, the runs {@code [first, last]}; null when there are none. */
    public Map<String, Map<String, List<long[]>>> listed() {
        Map<String, Map<String, List<long[]>>> listed = new LinkedHashMap<>();
        tables.forEach((table, columns) -> columns.forEach((column, columnRuns) -> {
            List<long[]> pairs = new ArrayList<>(columnRuns.size);
            for (int i = 0; i < columnRuns.size; i++) {
                pairs.add(new long[] {columnRuns.first[i], columnRuns.last[i]});
            }
            listed.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(column, pairs);
        }));
        return listed.isEmpty() ? null : listed;
    }

    /** {@code metadata.json_nulls_unrecorded}: the columns whose JSON nulls were too many to list; null if none. */
    public Map<String, List<String>> unrecorded() {
        Map<String, List<String>> named = new LinkedHashMap<>();
        unrecorded.forEach((table, columns) -> named.put(table, List.copyOf(columns)));
        return named.isEmpty() ? null : named;
    }

    /** Runs of row numbers, growable; consecutive rows extend the last run. */
    private static final class Runs {

        long[] first = new long[4];
        long[] last = new long[4];
        int size;

        // Whether [from, to] continues the last run, which then covers it.
        boolean extend(long from, long to) {
            if (size > 0 && from == last[size - 1] + 1) {
                last[size - 1] = to;
                return true;
            }
            return false;
        }

        void append(long from, long to) {
            if (size == first.length) {
                first = Arrays.copyOf(first, size * 2);
                last = Arrays.copyOf(last, size * 2);
            }
            first[size] = from;
            last[size] = to;
            size++;
        }
    }
}
