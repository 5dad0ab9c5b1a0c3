package dev.databasedump.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonNullsTest {

    @Test
    void should_keep_consecutive_rows_as_one_run_and_number_a_pieces_rows_after_the_rows_before_it() {
        JsonNulls piece = new JsonNulls();
        for (long row = 1; row <= 1000; row++) {
            piece.add("events", "payload", row);
        }
        piece.add("events", "payload", 1002);
        piece.add("events", "other", 5);
        JsonNulls document = new JsonNulls();
        document.add("events", "payload", 3);

        document.addAll("events", piece, 10);

        Map<String, List<long[]>> events = document.listed().get("events");
        assertThat(events.get("payload")).extracting(run -> run[0] + "-" + run[1])
                .containsExactly("3-3", "11-1010", "1012-1012");
        assertThat(events.get("other")).extracting(run -> run[0] + "-" + run[1]).containsExactly("15-15");
        assertThat(document.unrecorded()).isNull();
    }

    @Test
    void should_name_the_column_whose_runs_pass_the_most_a_dump_lists_and_list_it_no_more() {
        JsonNulls nulls = new JsonNulls(3);
        nulls.add("a", "x", 1);
        for (long row = 1; row <= 9; row += 2) {
            nulls.add("b", "y", row);
        }

        assertThat(nulls.listed().get("a").get("x")).hasSize(1);
        assertThat(nulls.listed()).doesNotContainKey("b");
        assertThat(nulls.unrecorded()).isEqualTo(Map.of("b", List.of("y")));
    }
}
