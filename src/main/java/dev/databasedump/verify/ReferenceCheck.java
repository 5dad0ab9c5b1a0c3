package dev.databasedump.verify;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.databasedump.document.RowBatch;
import dev.databasedump.document.ScopeMetadata.Reference;
import dev.databasedump.document.Sha256;
import dev.databasedump.document.TempFiles;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant dump's referential completeness, checked as its rows stream past: every foreign-key value among the tables
 * in the document resolves to a row of the document, or is NULL. The keys rows are referenced by are kept as 64-bit
 * fingerprints (8 bytes each: memory grows with the referenced keys, not the rows); a reference whose table comes
 * before the one it references, or references its own table, waits in a temporary file, with its values, until that
 * table has been read. The first references that do not resolve are named with their values.
 */
final class ReferenceCheck implements AutoCloseable {

    static final int NAMED = 5;
    private static final JsonFactory JSON = new JsonFactory();

    private final List<Reference> keys;
    private final MessageDigest digest = Sha256.newDigest();
    private final Map<String, List<Integer>> keysByChild = new HashMap<>();
    private final Map<String, List<Integer>> keysByParent = new HashMap<>();
    private final Fingerprints[] referenced;
    private final boolean[] sorted;
    private final long[] unresolved;
    private final List<String> named = new ArrayList<>();
    private final TempFiles files;
    private final Path waiting;
    private final DataOutputStream waitingOut;
    private final Map<String, Long> rowsRead = new HashMap<>();
    private long checked;

    /** @param keys the foreign keys among the document's tables ({@code metadata.scope.foreign_keys}) */
    ReferenceCheck(List<Reference> keys, Path tmpDir) throws IOException {
        this.keys = List.copyOf(keys);
        for (int i = 0; i < keys.size(); i++) {
            keysByChild.computeIfAbsent(keys.get(i).table(), t -> new ArrayList<>()).add(i);
            keysByParent.computeIfAbsent(keys.get(i).references(), t -> new ArrayList<>()).add(i);
        }
        referenced = new Fingerprints[keys.size()];
        Arrays.setAll(referenced, i -> new Fingerprints());
        sorted = new boolean[keys.size()];
        unresolved = new long[keys.size()];
        files = TempFiles.claim(tmpDir);
        waiting = files.create("references", ".bin");
        waitingOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(waiting)));
    }

    /** Takes a batch's rows: the keys they may be referenced by, and their references. */
    void accept(RowBatch batch) throws IOException {
        String table = batch.table();
        List<Integer> asParent = keysByParent.getOrDefault(table, List.of());
        List<Integer> asChild = keysByChild.getOrDefault(table, List.of());
        if (!asParent.isEmpty() || !asChild.isEmpty()) {
            for (int row = 0; row < batch.rows(); row++) {
                long number = rowsRead.merge(table, 1L, Long::sum);
                Map<String, String> values = values(batch.buffer(), batch.start(row), batch.end(row));
                for (int key : asParent) {
                    String tuple = tuple(values, keys.get(key).referencedColumns());
                    if (tuple != null) {
                        referenced[key].add(fingerprint(tuple));
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
        if (sorted[key]) {
            resolve(key, row, fingerprint(tuple), shown(key, values));
            return;
        }
        waitingOut.writeInt(key);
        waitingOut.writeLong(row);
        waitingOut.writeLong(fingerprint(tuple));
        waitingOut.writeUTF(shown(key, values));
    }

    private void resolve(int key, long row, long fingerprint, String shown) {
        if (!referenced[key].contains(fingerprint)) {
            unresolved[key]++;
            if (named.size() < NAMED) {
                Reference reference = keys.get(key);
                named.add("row " + row + " of " + reference.table() + " " + shown + " references no row of "
                        + reference.references() + " through " + reference.name());
            }
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
        return new Result(keys.size(), checked, total, byKey, List.copyOf(named));
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
     * @param unresolved  references that resolve to no row of the document
     * @param byKey       unresolved references per foreign key
     * @param first       the first of them, named with their values
     */
    record Result(int foreignKeys, long checked, long unresolved, Map<String, Long> byKey, List<String> first) {

        String problem() {
            return unresolved + " foreign-key value" + (unresolved == 1 ? "" : "s") + " of the document resolve"
                    + (unresolved == 1 ? "s" : "") + " to no row in it: " + String.join("; ", first);
        }
    }

    // Each top-level field of a row, as text a key compares by: numbers by value (1.0 and 1.00 alike), strings as
    // they are, objects and arrays as their JSON; NULL as null.
    private static Map<String, String> values(byte[] buffer, int start, int end) throws IOException {
        Map<String, String> values = new HashMap<>();
        try (JsonParser parser = JSON.createParser(buffer, start, end - start)) {
            parser.nextToken();
            String name;
            while ((name = parser.nextFieldName()) != null) {
                JsonToken token = parser.nextToken();
                values.put(name, switch (token) {
                    case VALUE_NULL -> null;
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "n" + new BigDecimal(parser.getText())
                            .stripTrailingZeros().toPlainString();
                    case START_OBJECT, START_ARRAY -> "j" + parser.readValueAsTree();
                    default -> "s" + parser.getText();
                });
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

    private String shown(int key, Map<String, String> values) {
        StringBuilder shown = new StringBuilder("(");
        for (String column : keys.get(key).columns()) {
            shown.append(shown.length() > 1 ? ", " : "").append(column).append(' ')
                    .append(values.get(column).substring(1));
        }
        return shown.append(')').toString();
    }

    private long fingerprint(String tuple) {
        return ByteBuffer.wrap(digest.digest(tuple.getBytes(StandardCharsets.UTF_8))).getLong();
    }

    /** A growable set of longs: added to in any order, sorted once, then searched. */
    private static final class Fingerprints {

        private long[] values = new long[1024];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        void sort() {
            Arrays.sort(values, 0, size);
        }

        boolean contains(long value) {
            return Arrays.binarySearch(values, 0, size, value) >= 0;
        }
    }
}
