package dev.databasedump.restore;

import dev.databasedump.document.RowBatch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which rows of a table hold JSON null (not SQL NULL) in which json or jsonb column, as the dump's metadata lists them
 * ({@code json_nulls}); every other null in such a column is restored as SQL NULL, as in a dump made before they were
 * listed. A batch's marks go to the server beside its rows.
 */
final class JsonNullMarks {

    /** A table without any: nothing to mark. */
    static final JsonNullMarks NONE = new JsonNullMarks(Map.of());

    /** Per column, its runs {first, last} by their first row. */
    private final Map<String, TreeMap<Long, Long>> runs = new TreeMap<>();

    /** @param listed per column, runs {@code [first, last]} of rows numbered from 1 in the table */
    JsonNullMarks(Map<String, List<long[]>> listed) {
        listed.forEach((column, pairs) -> {
            TreeMap<Long, Long> byFirst = new TreeMap<>();
            pairs.stream().sorted(Comparator.comparingLong(pair -> pair[0]))
                    .forEach(pair -> byFirst.put(pair[0], pair[1]));
            runs.put(column, byFirst);
        });
    }

    /**
     * For each row of {@code batch}, the JSON array of the columns where it holds JSON null ({@code ["payload"]}), or
     * null; null for the whole batch when no row has one (nearly always).
     */
    String[] of(RowBatch batch) {
        if (runs.isEmpty() || batch.rows() == 0) {
            return null;
        }
        long first = batch.firstRow();
        long last = first + batch.rows() - 1;
        List<List<String>> marked = null;
        for (Map.Entry<String, TreeMap<Long, Long>> column : runs.entrySet()) {
            Map.Entry<Long, Long> before = column.getValue().floorEntry(first);
            Map<Long, Long> from = column.getValue().subMap(before == null ? first : before.getKey(), true, last,
                    true);
            for (Map.Entry<Long, Long> run : from.entrySet()) {
                for (long row = Math.max(first, run.getKey()); row <= Math.min(last, run.getValue()); row++) {
                    if (marked == null) {
                        marked = new ArrayList<>();
                        for (int i = 0; i < batch.rows(); i++) {
                            marked.add(null);
                        }
                    }
                    int index = (int) (row - first);
                    if (marked.get(index) == null) {
                        marked.set(index, new ArrayList<>());
                    }
                    marked.get(index).add(column.getKey());
                }
            }
        }
        if (marked == null) {
            return null;
        }
        String[] json = new String[batch.rows()];
        for (int i = 0; i < json.length; i++) {
            json[i] = marked.get(i) == null ? null : array(marked.get(i));
        }
        return json;
    }

    private static String array(List<String> columns) {
        StringBuilder json = new StringBuilder("[");
        for (String column : columns) {
            json.append(json.length() > 1 ? "," : "").append('"');
            column.chars().forEach(c -> {
                if (c == '"' || c == '\\') {
                    json.append('\\').append((char) c);
                } else if (c < 0x20) {
                    json.append(String.format("\\u%04x", c));
                } else {
                    json.append((char) c);
                }
            });
            json.append('"');
        }
        return json.append(']').toString();
    }
}
