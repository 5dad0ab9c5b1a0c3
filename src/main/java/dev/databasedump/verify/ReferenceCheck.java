package dev.databasedump.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;

import dev.databasedump.document.DumpMetadata;
import dev.databasedump.document.RowBatch;
import dev.databasedump.document.ScopeMetadata;
import dev.databasedump.document.ScopeMetadata.Reference;
import dev.databasedump.document.TempFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant dump's referential completeness, checked as its rows stream past: every foreign-key value among the tables
 * in the document resolves to a row of the document, or is NULL. Values compare as PostgreSQL compares them
 * ({@link KeyText}), so a key between columns of different types resolves as it does in the database. The keys rows are
 * referenced by are kept as 64-bit fingerprints (8 bytes each: memory grows with the referenced keys, not the rows); a
 * reference whose table comes before the one it references, or references its own table, waits in a temporary file,
 * with its values, until that table has been read. References the metadata declares as dangling (a dump made with
 * {@code dump.tenant.cross-references=report}) are counted apart; the first others are named with their values.
 */
final class ReferenceCheck implements AutoCloseable {

    static final int NAMED = 5;
    /** Characters of a key value a problem line shows. */
    private static final int SHOWN = 100;
    // A row's fields are read only as far as the key columns need; the rest is skipped, whatever its size or depth.
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(Integer.MAX_VALUE).build())
            .build();

    private final List<Reference> keys;
    private final Map<String, List<Integer>> keysByChild = new HashMap<>();
    private final Map<String, List<Integer>> keysByParent = new HashMap<>();
    /** Per table, the kind of each key column it has: the only fields of its rows that are read. */
    private final Map<String, Map<String, KeyText.Kind>> keyColumns = new HashMap<>();
    private final Fingerprints[] referenced;
    private final boolean[] sorted;
    private final long[] unresolved;
    private final List<String> named = new ArrayList<>();
    private final DeclaredDangling declared;
    private final TempFiles files;
    private final Path waiting;
    private final DataOutputStream waitingOut;
    private final Map<String, Long> rowsRead = new HashMap<>();
    private long checked;

    /** @param metadata a tenant dump's metadata: {@code scope.foreign_keys} and the tables' column types */
    ReferenceCheck(DumpMetadata metadata, Path tmpDir) throws IOException {
        ScopeMetadata scope = metadata.scope();
        this.keys = List.copyOf(scope.foreignKeys());
        Map<String, Map<String, KeyText.Kind>> kinds = kinds(metadata);
        for (int i = 0; i < keys.size(); i++) {
            Reference key = keys.get(i);
            keysByChild.computeIfAbsent(key.table(), t -> new ArrayList<>()).add(i);
            keysByParent.computeIfAbsent(key.references(), t -> new ArrayList<>()).add(i);
            read(kinds, key.table(), key.columns());
            read(kinds, key.references(), key.referencedColumns());
        }
        referenced = new Fingerprints[keys.size()];
        Arrays.setAll(referenced, i -> new Fingerprints());
        sorted = new boolean[keys.size()];
        unresolved = new long[keys.size()];
        declared = new DeclaredDangling(keys, scope.crossReferences(), scope.crossReferencesTotal(), keyColumns);
        files = TempFiles.claim(tmpDir);
        waiting = files.create("references", ".bin");
        waitingOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(waiting)));
    }

    // Each column's type from tables_summary (format 2); a format-1 dump has none, and its values compare as written.
    private static Map<String, Map<String, KeyText.Kind>> kinds(DumpMetadata metadata) {
        Map<String, Map<String, KeyText.Kind>> kinds = new HashMap<>();
        metadata.tablesSummary().forEach((table, summary) -> {
            Map<String, KeyText.Kind> columns = new HashMap<>();
            if (summary.columnTypes() != null) {
                summary.columnTypes().forEach((column, type) -> columns.put(column, KeyText.kindOf(type)));
            }
            kinds.put(table, columns);
        });
        return kinds;
    }

    private void read(Map<String, Map<String, KeyText.Kind>> kinds, String table, List<String> columns) {
        Map<String, KeyText.Kind> known = kinds.getOrDefault(table, Map.of());
        Map<String, KeyText.Kind> read = keyColumns.computeIfAbsent(table, t -> new HashMap<>());
        columns.forEach(column -> read.put(column, known.getOrDefault(column, KeyText.Kind.EXACT)));
    }

    /** Takes a batch's rows: the keys they may be referenced by, and their references. */
    void accept(RowBatch batch) throws IOException {
        String table = batch.table();
        List<Integer> asParent = keysByParent.getOrDefault(table, List.of());
        List<Integer> asChild = keysByChild.getOrDefault(table, List.of());
        if (!asParent.isEmpty() || !asChild.isEmpty()) {
            Map<String, KeyText.Kind> columns = keyColumns.get(table);
            for (int row = 0; row < batch.rows(); row++) {
                long number = rowsRead.merge(table, 1L, Long::sum);
                Map<String, String> values = values(batch.buffer(), batch.start(row), batch.end(row), columns);
                for (int key : asParent) {
                    String tuple = tuple(values, keys.get(key).referencedColumns());
                    if (tuple != null) {
                        referenced[key].add(referenced[key].of(tuple));
                    }
                }
                for (int key : asChild) {
                    String tuple = tuple(values, keys.get(key).columns());
                    if (tuple != null) {
                        reference(key, number, tuple, values);
                    }
                }
            }
        }
        if (batch.lastOfTable()) {
            for (int key : asParent) {
                referenced[key].sort();
                sorted[key] = true;
            }
        }
    }

    private void reference(int key, long row, String tuple, Map<String, String> values) throws IOException {
        checked++;
        long fingerprint = referenced[key].of(tuple);
        if (sorted[key]) {
            resolve(key, row, fingerprint, shown(key, values));
            return;
        }
        waitingOut.writeInt(key);
        waitingOut.writeLong(row);
        waitingOut.writeLong(fingerprint);
        waitingOut.writeUTF(shown(key, values));
    }

    private void resolve(int key, long row, long fingerprint, String shown) {
        if (referenced[key].contains(fingerprint) || declared.declares(key, fingerprint)) {
            return;
        }
        unresolved[key]++;
        if (named.size() < NAMED) {
            Reference reference = keys.get(key);
            named.add("row " + row + " of " + reference.table() + " " + shown + " references no row of "
                    + reference.references() + " through " + reference.name());
        }
    }

    /** Once the document has been read: the references that waited, and the verdict. */
    Result finish() throws IOException {
        waitingOut.close();
        for (Fingerprints keys : referenced) {
            keys.sort();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(waiting)))) {
            while (true) {
                int key;
                try {
                    key = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                resolve(key, in.readLong(), in.readLong(), in.readUTF());
            }
        }
        long total = Arrays.stream(unresolved).sum();
        Map<String, Long> byKey = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            if (unresolved[i] > 0) {
                byKey.put(keys.get(i).name(), unresolved[i]);
            }
        }
        return new Result(keys.size(), checked, total, declared.found(), byKey, List.copyOf(named));
    }

    @Override
    public void close() {
        try {
            waitingOut.close();
        } catch (IOException e) {
            // deleted below either way
        }
        files.close();
    }

    /**
     * What the check found.
     *
     * @param foreignKeys foreign keys checked
     * @param checked     references (non-NULL foreign-key values) checked
     * @param unresolved  references that resolve to no row of the document and that the metadata does not declare
     * @param declared    references that resolve to no row, as the metadata declares (cross-references reported)
     * @param byKey       unresolved references per foreign key
     * @param first       the first of them, named with their values
     */
    record Result(int foreignKeys, long checked, long unresolved, long declared, Map<String, Long> byKey,
            List<String> first) {

        String problem() {
            return unresolved + " foreign-key value" + (unresolved == 1 ? "" : "s") + " of the document resolve"
                    + (unresolved == 1 ? "s" : "") + " to no row in it" + (declared > 0 ? " (besides the " + declared
                    + " the metadata declares as references to other tenants' rows)" : "") + ": "
                    + String.join("; ", first);
        }
    }

    // The key columns of a row, each as the text it compares by; NULL as null. Every other field is skipped.
    private static Map<String, String> values(byte[] buffer, int start, int end, Map<String, KeyText.Kind> columns)
            throws IOException {
        Map<String, String> values = new HashMap<>();
        Set<String> wanted = new HashSet<>(columns.keySet());
        try (JsonParser parser = JSON.createParser(buffer, start, end - start)) {
            parser.nextToken();
            String name;
            while (!wanted.isEmpty() && (name = parser.nextFieldName()) != null) {
                parser.nextToken();
                if (wanted.remove(name)) {
                    values.put(name, KeyText.read(parser, columns.get(name)));
                } else {
                    parser.skipChildren();
                }
            }
        }
        return values;
    }

    // The key's columns' values, one string; null when one is NULL (MATCH SIMPLE: such a row references nothing).
    private static String tuple(Map<String, String> values, List<String> columns) {
        StringBuilder tuple = new StringBuilder();
        for (String column : columns) {
            String value = values.get(column);
            if (value == null) {
                return null;
            }
            tuple.append(value).append('\u0000');
        }
        return tuple.toString();
    }

    // The row's key values as a problem line names them; a long one is cut, as a line is no place for a document.
    private String shown(int key, Map<String, String> values) {
        StringBuilder shown = new StringBuilder("(");
        for (String column : keys.get(key).columns()) {
            String value = values.get(column).substring(1);
            shown.append(shown.length() > 1 ? ", " : "").append(column).append(' ')
                    .append(value.length() > SHOWN ? value.substring(0, SHOWN) + "…" : value);
        }
        return shown.append(')').toString();
    }
}
