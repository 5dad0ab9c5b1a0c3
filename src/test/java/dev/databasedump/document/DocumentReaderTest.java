package dev.databasedump.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.document.DumpMetadata.TableSummary;
import dev.databasedump.settings.Compression;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The streaming reader against documents the writer made, and against every way such a document can be damaged. */
class DocumentReaderTest {

    /** Rows as PostgreSQL writes them, json columns with their own spacing and escapes. */
    private static final List<String> CASES = List.of(
            "{\"id\":1,\"title\":\"Case \\\"1\\\"\",\"details\":{\"court\":  \"D\\u00fcsseldorf\", \"n\": [1, 2.50]}}",
            "{\"id\":2,\"title\":\"Grüße, 世界\",\"details\":null}",
            "{\"id\":3,\"title\":\"line\\nbreak\",\"details\":{\"big\": 123456789012345678901234567890.5}}");
    private static final List<String> CLIENTS = List.of("{\"id\":1,\"name\":\"A\"}");

    @TempDir
    Path tmp;
    private final ObjectMapper json = new ObjectMapper();

    private byte[] write(Compression compression, DumpMetadata metadata) throws IOException {
        try (DumpDocument document = new DumpDocument(tmp, compression, java.util.List.of(), json, metadata)) {
            append(document, 0, "cases", CASES);
            append(document, 1, "clients", CLIENTS);
            append(document, 2, "empty", List.of());
            document.finish(metadata, length -> { });
            return Files.readAllBytes(document.file());
        }
    }

    private static void append(DumpDocument document, int position, String table, List<String> rows)
            throws IOException {
        PieceSpool spool = document.spool(position, table, true, true);
        for (String row : rows) {
            spool.row(row.getBytes(StandardCharsets.UTF_8));
        }
        document.append(spool);
    }

    private static DumpMetadata metadata(long casesRows, long totalRows, boolean withTypes) {
        Map<String, TableSummary> tables = new LinkedHashMap<>();
        tables.put("cases", new TableSummary(casesRows, 3, withTypes
                ? types("id", "integer", "title", "text", "details", "json") : null));
        tables.put("clients", new TableSummary(1, 2, withTypes ? types("id", "integer", "name", "text") : null));
        tables.put("empty", new TableSummary(0, 1, withTypes ? types("id", "integer") : null));
        return new DumpMetadata(withTypes ? 2 : 1, "2026-02-16T20:30:00.123Z", "test", null,
                new DumpMetadata.Database("app", "15.8"), List.of("public"), null, 3, totalRows, tables, null, null, null,
                null, null, 5);
    }

    private static Map<String, String> types(String... namesAndTypes) {
        Map<String, String> types = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            types.put(namesAndTypes[i], namesAndTypes[i + 1]);
        }
        return types;
    }

    private static InputStream decoded(byte[] stored, Compression compression) throws IOException {
        InputStream in = new ByteArrayInputStream(stored);
        return compression == Compression.GZIP ? new GZIPInputStream(in) : in;
    }

    /** Every row read, by table, as text; batches of at most two rows. */
    private static Map<String, List<String>> readAll(DocumentReader reader) throws Exception {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        RowBatch batch;
        while ((batch = reader.next(2, 1 << 20)) != null) {
            List<String> rows = tables.computeIfAbsent(batch.table(), t -> new ArrayList<>());
            for (int i = 0; i < batch.rows(); i++) {
                rows.add(new String(batch.buffer(), batch.start(i), batch.end(i) - batch.start(i),
                        StandardCharsets.UTF_8));
            }
        }
        return tables;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void should_read_back_every_row_exactly_as_written(Compression compression) throws Exception {
        for (boolean withTypes : new boolean[] {true, false}) {
            byte[] stored = write(compression, metadata(3, 4, withTypes));
            DocumentReader reader = new DocumentReader(decoded(stored, compression));

            DumpMetadata read = reader.open();
            Map<String, List<String>> tables = readAll(reader);

            assertThat(read.formatVersion()).isEqualTo(withTypes ? 2 : 1);
            assertThat(read.tablesSummary().keySet()).containsExactly("cases", "clients", "empty");
            assertThat(tables.get("cases")).containsExactlyElementsOf(CASES);
            assertThat(tables.get("clients")).containsExactlyElementsOf(CLIENTS);
            assertThat(tables.get("empty")).isEmpty();
            assertThat(reader.rowsRead()).isEqualTo(4);
            assertThat(reader.next(2, 1 << 20)).isNull();
        }
    }

    @Test
    void should_name_the_table_whose_array_is_shorter_than_its_summary() throws Exception {
        byte[] stored = write(Compression.NONE, metadata(4, 5, true));

        DocumentProblem problem = problemReading(stored, Compression.NONE);

        assertThat(problem).hasMessage("table cases has 3 rows where tables_summary says 4");
        assertThat(problem.table()).isEqualTo("cases");
    }

    @Test
    void should_name_the_table_and_row_whose_columns_are_not_the_tables() throws Exception {
        String text = new String(write(Compression.NONE, metadata(3, 4, true)), StandardCharsets.UTF_8)
                .replace("{\"id\":2,\"title\"", "{\"title\":\"x\",\"id\"");

        DocumentProblem problem = problemReading(text.getBytes(StandardCharsets.UTF_8), Compression.NONE);

        assertThat(problem).hasMessage("row 2 of table cases has column title where column id is expected");
    }

    @Test
    void should_report_totals_that_do_not_add_up() throws Exception {
        byte[] stored = write(Compression.NONE, metadata(3, 99, true));

        assertThat(problemReading(stored, Compression.NONE))
                .hasMessage("total_rows says 99 but the rows of tables_summary add up to 4");
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void should_report_a_document_cut_short_naming_where(Compression compression) throws Exception {
        byte[] stored = write(compression, metadata(3, 4, true));
        byte[] cut = java.util.Arrays.copyOf(stored, stored.length - (compression == Compression.GZIP ? 40 : 30));

        DocumentProblem problem = problemReading(cut, compression);

        assertThat(problem.getMessage()).contains("truncated?");
    }

    @Test
    void should_report_a_flipped_byte_that_breaks_the_json() throws Exception {
        byte[] stored = write(Compression.NONE, metadata(3, 4, true));
        int at = new String(stored, StandardCharsets.ISO_8859_1).lastIndexOf("\"clients\"") + 12;
        stored[at] = '#';

        DocumentProblem problem = problemReading(stored, Compression.NONE);

        assertThat(problem.getMessage()).startsWith("the document is not valid JSON in table clients");
    }

    @Test
    void should_report_a_flipped_byte_in_a_gzip_dump() throws Exception {
        byte[] stored = write(Compression.GZIP, metadata(3, 4, true));
        stored[stored.length / 2] ^= 0x20;

        assertThat(problemReading(stored, Compression.GZIP).getMessage()).startsWith("the stored bytes do not decode");
    }

    @Test
    void should_report_anything_after_the_document() throws Exception {
        byte[] stored = write(Compression.NONE, metadata(3, 4, true));
        byte[] longer = java.util.Arrays.copyOf(stored, stored.length + 2);
        longer[stored.length] = '{';
        longer[stored.length + 1] = '}';

        assertThat(problemReading(longer, Compression.NONE)).hasMessage("something follows the end of the document");
    }

    private static DocumentProblem problemReading(byte[] stored, Compression compression) {
        return catchThrowableOfType(DocumentProblem.class, () -> {
            DocumentReader reader = new DocumentReader(decoded(stored, compression));
            reader.open();
            readAll(reader);
        });
    }
}
