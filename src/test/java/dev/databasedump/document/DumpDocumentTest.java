package dev.databasedump.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.databasedump.document.DumpDocument.TableWritten;
import dev.databasedump.settings.Compression;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pieces finished in any order make the one document, in order; the metadata fills the room kept for it. */
class DumpDocumentTest {

    private static final String EXPECTED_DATA = """
            ,
            "data":{
            "a":[
            {"id":1},
            {"id":2},
            {"id":3}
            ],
            "b":[],
            "c":[
            {"id":9}
            ]
            }}
            """;

    @TempDir
    Path tmp;
    private final ObjectMapper json = new ObjectMapper();

    private PieceSpool piece(DumpDocument document, int position, String table, boolean first, boolean last,
            String... rows) throws IOException {
        PieceSpool spool = document.spool(position, table, first, last);
        for (String row : rows) {
            spool.row(row.getBytes(StandardCharsets.UTF_8));
        }
        return spool;
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void should_put_pieces_finished_out_of_order_in_document_order(Compression compression) throws Exception {
        DumpDocument document = new DumpDocument(tmp, compression, java.util.List.of(), json,
                Map.of("rows", Long.MAX_VALUE));
        // Table a in three key ranges (the middle one empty), b empty, c whole.
        PieceSpool a1 = piece(document, 0, "a", true, false, "{\"id\":1}", "{\"id\":2}");
        PieceSpool a2 = piece(document, 1, "a", false, false);
        PieceSpool a3 = piece(document, 2, "a", false, true, "{\"id\":3}");
        PieceSpool b = piece(document, 3, "b", true, true);
        PieceSpool c = piece(document, 4, "c", true, true, "{\"id\":9}");

        List<TableWritten> written = new ArrayList<>();
        written.addAll(document.append(c));
        written.addAll(document.append(a3));
        assertThat(written).as("nothing can be written before the first piece").isEmpty();
        written.addAll(document.append(a1));
        written.addAll(document.append(b));
        written.addAll(document.append(a2));
        long size = document.finish(Map.of("rows", 4), length -> { });
        SealedDocument sealed = document.hash();

        assertThat(written).containsExactly(new TableWritten("a", 3), new TableWritten("b", 0),
                new TableWritten("c", 1));
        byte[] stored = Files.readAllBytes(sealed.file());
        assertThat(sealed.sizeBytes()).isEqualTo(size).isEqualTo(stored.length);
        assertThat(sealed.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(stored)));
        String text = compression == Compression.GZIP
                ? new String(new GZIPInputStream(new ByteArrayInputStream(stored)).readAllBytes(),
                        StandardCharsets.UTF_8)
                : new String(stored, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"metadata\":{\"rows\":4}").endsWith(EXPECTED_DATA);
        assertThat(json.readTree(text).get("data").get("a")).hasSize(3);
        assertThat(filesIn(tmp)).as("every piece's spool is gone; the document and its lock stay until closed")
                .filteredOn(file -> !file.toString().endsWith(".lock")).containsExactly(sealed.file());
        document.close();
        assertThat(filesIn(tmp)).isEmpty();
    }

    @Test
    void should_delete_a_piece_that_arrives_after_the_document_was_closed() throws Exception {
        DumpDocument document = new DumpDocument(tmp, Compression.NONE, java.util.List.of(), json, Map.of());
        // Not the next piece: without the check it would wait in the document for ever, its file with it.
        PieceSpool late = piece(document, 1, "a", false, true, "{}");
        document.close();

        assertThatThrownBy(() -> document.append(late)).hasMessageContaining("closed");
        assertThat(filesIn(tmp)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void should_keep_a_head_that_outgrew_its_room_in_a_file_of_its_own_that_stands_for_the_room(
            Compression compression) throws Exception {
        DumpDocument document = new DumpDocument(tmp, compression, java.util.List.of(), json, Map.of("rows", 1));
        document.append(piece(document, 0, "a", true, true, "{\"id\":1}"));
        long room = document.headerLength();

        long size = document.finish(Map.of("rows", 1, "json_nulls", "x".repeat(5000)), length -> { });
        SealedDocument sealed = document.hash();

        Path head = document.outgrownHead();
        assertThat(head).as("the head outgrew its room").isNotNull();
        byte[] file = Files.readAllBytes(sealed.file());
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        stored.writeBytes(Files.readAllBytes(head));
        stored.write(file, (int) room, file.length - (int) room);
        assertThat(sealed.sizeBytes()).isEqualTo(size).isEqualTo(stored.size());
        assertThat(sealed.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(stored.toByteArray())));
        String text = compression == Compression.GZIP
                ? new String(new GZIPInputStream(new ByteArrayInputStream(stored.toByteArray())).readAllBytes(),
                        StandardCharsets.UTF_8)
                : stored.toString(StandardCharsets.UTF_8);
        assertThat(json.readTree(text).at("/metadata/json_nulls").asText()).hasSize(5000);
        assertThat(json.readTree(text).at("/data/a/0/id").asInt()).isEqualTo(1);
        document.close();
        assertThat(filesIn(tmp)).isEmpty();
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
