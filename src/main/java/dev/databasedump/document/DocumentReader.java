package dev.databasedump.document;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.document.DumpMetadata.TableSummary;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a dump's document as a stream, in bounded memory, and checks it as it goes: one object
 * {@code {"metadata":…,"data":…}} with the metadata first; under {@code data} the tables of {@code tables_summary}, in
 * its order, each an array of objects whose keys are the table's columns in column order; each table's row count
 * equal to its summary, and {@code total_tables} and {@code total_rows} adding up. Rows come out in batches, each row
 * exactly the bytes the dump holds. The first thing wrong ends the reading with a {@link DocumentProblem}.
 */
public final class DocumentReader {

    // A dump holds any numeric PostgreSQL can (131,072 digits and more), long strings, deep json: no limits.
    // The stream is its owner's to close: it is read on to its end for the SHA-256.
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(Integer.MAX_VALUE)
                    .maxNameLength(Integer.MAX_VALUE).build())
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    private final RecordingInputStream in;
    private JsonParser parser;
    private DumpMetadata metadata;
    private Iterator<Map.Entry<String, TableSummary>> expectedTables;
    private String table;
    private String[] columns;
    private long tableRows;
    private long totalRows;
    private int tablesRead;
    private boolean ended;
    /** Found while filling a batch that already held rows: those go out first, this comes with the next call. */
    private DocumentProblem pending;

    public DocumentReader(InputStream decoded) {
        this.in = new RecordingInputStream(decoded);
    }

    /** Reads and checks the metadata, which must come first. */
    public DumpMetadata open() throws DocumentProblem, IOException {
        try {
            parser = JSON.createParser(in);
            expect(parser.nextToken() == JsonToken.START_OBJECT, "the document is not a JSON object");
            expect("metadata".equals(parser.nextFieldName()), "the document does not start with its metadata");
            expect(parser.nextToken() == JsonToken.START_OBJECT, "metadata is not an object");
            metadata = MAPPER.readValue(parser, DumpMetadata.class);
            checkMetadata();
            expect("data".equals(parser.nextFieldName()), "data does not follow the metadata");
            expect(parser.nextToken() == JsonToken.START_OBJECT, "data is not an object");
            expectedTables = metadata.tablesSummary().entrySet().iterator();
            return metadata;
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        } catch (SourceFailure e) {
            throw e;
        } catch (IOException e) {
            throw undecodable(e);
        }
    }

    /**
     * The next rows of the table being read: at most {@code maxRows} rows, and no more once {@code maxBytes} are
     * reached; a table's last batch says so. Null once the document has ended and its totals were checked. Every
     * row read before a problem is handed out first; the problem comes with the next call.
     */
    public RowBatch next(int maxRows, int maxBytes) throws DocumentProblem, IOException {
        if (pending != null) {
            DocumentProblem problem = pending;
            pending = null;
            ended = true;
            throw problem;
        }
        if (ended) {
            return null;
        }
        RowBatch batch = null;
        try {
            boolean first = table == null;
            if (first && !startTable()) {
                return null;
            }
            batch = new RowBatch(table, first, tableRows + 1);
            while (batch.rows() < maxRows && batch.size() < maxBytes) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY) {
                    endTable();
                    batch.endTable();
                    break;
                }
                readRow(token, batch);
            }
            batch.columns(columns());
            return batch;
        } catch (SourceFailure e) {
            throw e;
        } catch (DocumentProblem | IOException e) {
            DocumentProblem problem = e instanceof DocumentProblem found ? found
                    : e instanceof JsonProcessingException json ? unreadable(json) : undecodable((IOException) e);
            if (batch != null && batch.rows() > 0) {
                pending = problem;
                batch.columns(columns());
                return batch;
            }
            ended = true;
            throw problem;
        }
    }

    // The columns of the table read last, as its summary's column types or its first row named them.
    private List<String> columns() {
        return columns == null ? List.of() : List.of(columns);
    }

    /** Rows read so far, all tables together. */
    public long rowsRead() {
        return totalRows;
    }

    private void checkMetadata() throws DocumentProblem {
        expect(metadata.formatVersion() >= 1 && metadata.formatVersion() <= DumpMetadata.FORMAT_VERSION,
                "format_version " + metadata.formatVersion() + " is not one this version reads (1 to "
                        + DumpMetadata.FORMAT_VERSION + ")");
        expect(metadata.tablesSummary() != null, "the metadata has no tables_summary");
        expect(metadata.totalTables() == metadata.tablesSummary().size(), "total_tables says "
                + metadata.totalTables() + " but tables_summary lists " + metadata.tablesSummary().size());
        long rows = metadata.tablesSummary().values().stream().mapToLong(TableSummary::rows).sum();
        expect(metadata.totalRows() == rows, "total_rows says " + metadata.totalRows()
                + " but the rows of tables_summary add up to " + rows);
    }

    // Reads the next table's name and the start of its array; false at the end of data.
    private boolean startTable() throws IOException, DocumentProblem {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.END_OBJECT) {
            endDocument();
            return false;
        }
        String name = parser.currentName();
        if (!expectedTables.hasNext()) {
            throw new DocumentProblem("data holds table " + name + ", which tables_summary does not list", name,
                    null);
        }
        Map.Entry<String, TableSummary> expected = expectedTables.next();
        if (!expected.getKey().equals(name)) {
            throw new DocumentProblem("data holds table " + name + " where tables_summary lists "
                    + expected.getKey(), name, null);
        }
        table = name;
        tableRows = 0;
        Map<String, String> types = expected.getValue().columnTypes();
        columns = types == null ? null : types.keySet().toArray(String[]::new);
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            throw new DocumentProblem("table " + name + " is not an array", name, null);
        }
        return true;
    }

    private void readRow(JsonToken token, RowBatch batch) throws IOException, DocumentProblem {
        if (token != JsonToken.START_OBJECT) {
            throw problem("row " + (tableRows + 1) + " of table " + table + " is not an object");
        }
        long start = parser.currentTokenLocation().getByteOffset();
        in.keepFrom(start);
        List<String> firstRowColumns = columns == null ? new ArrayList<>() : null;
        int column = 0;
        String name;
        while ((name = parser.nextFieldName()) != null) {
            if (firstRowColumns != null) {
                firstRowColumns.add(name);
            } else if (column >= columns.length || !columns[column].equals(name)) {
                throw problem("row " + (tableRows + 1) + " of table " + table + " has column " + name + " where "
                        + (column < columns.length ? "column " + columns[column] : "no further column")
                        + " is expected");
            }
            column++;
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                parser.skipChildren();
            }
        }
        if (firstRowColumns != null) {
            columns = firstRowColumns.toArray(String[]::new);
        }
        if (column != columns.length) {
            throw problem("row " + (tableRows + 1) + " of table " + table + " has " + column + " columns where "
                    + columns.length + " are expected");
        }
        in.copy(start, parser.currentLocation().getByteOffset(), batch);
        batch.endRow();
        tableRows++;
        totalRows++;
    }

    private void endTable() throws DocumentProblem {
        TableSummary expected = metadata.tablesSummary().get(table);
        if (tableRows != expected.rows()) {
            throw problem("table " + table + " has " + tableRows + " rows where tables_summary says "
                    + expected.rows());
        }
        if (columns != null && tableRows > 0 && columns.length != expected.columns()) {
            throw problem("table " + table + " has " + columns.length + " columns where tables_summary says "
                    + expected.columns());
        }
        tablesRead++;
        table = null;
    }

    private void endDocument() throws IOException, DocumentProblem {
        ended = true;
        if (expectedTables.hasNext()) {
            String missing = expectedTables.next().getKey();
            throw new DocumentProblem("tables_summary lists table " + missing + ", which data does not hold",
                    missing, null);
        }
        expect(parser.nextToken() == JsonToken.END_OBJECT, "something follows data in the document");
        if (parser.nextToken() != null) {
            throw new DocumentProblem("something follows the end of the document", null, null);
        }
    }

    private DocumentProblem problem(String message) {
        return new DocumentProblem(message, table, null);
    }

    private void expect(boolean holds, String otherwise) throws DocumentProblem {
        if (!holds) {
            throw problem(otherwise);
        }
    }

    private DocumentProblem unreadable(JsonProcessingException e) {
        String where = table == null ? "" : " in table " + table + " after " + tableRows + " rows";
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Unexpected end-of-input")) {
            return new DocumentProblem("the document ends early" + where + " (truncated?)", table, e);
        }
        return new DocumentProblem("the document is not valid JSON" + where + " (byte "
                + e.getLocation().getByteOffset() + "): " + firstLine(message), table, e);
    }

    // Compressed or encrypted bytes that do not decode: corrupt, or cut short.
    private DocumentProblem undecodable(IOException e) {
        String where = table == null ? "" : " in table " + table + " after " + tableRows + " rows";
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new DocumentProblem("the stored bytes do not decode" + where + ": " + firstLine(message)
                + (e instanceof java.io.EOFException ? " (truncated?)" : ""), table, e);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
